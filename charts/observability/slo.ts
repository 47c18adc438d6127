/*
 * The two SLOs from the runbooks' numbers — availability (non-5xx) and latency (under 500 ms) — as
 * Prometheus recording rules and multi-window multi-burn-rate alerts, generated the way Sloth and Pyrra
 * generate them (the SRE workbook's shape). Every window scales with the SLO window, so a short SLO
 * window (a game day's hour) pages within minutes with the same rules.
 */
import ms from 'ms';
import { METRIC } from '../../src/metrics/metric-names.ts';
import { playerApi } from './promql.ts';

export interface SloOptions {
  /** The SLO window (the budget's period): 30d in production; 1h on a game day. */
  window: string;
  /** Share of player responses that must not be 5xx. */
  availability: number;
  /** Share of player responses that must be faster than `thresholdSeconds` (a histogram bucket bound). */
  latency: { objective: number; thresholdSeconds: number };
  /** No rate window shorter than this (a few scrape intervals: a rate needs two samples). */
  minWindow: string;
}

export const SLO_DEFAULTS: SloOptions = { window: '30d', availability: 0.995, latency: { objective: 0.99, thresholdSeconds: 0.5 }, minWindow: '1m' };

export type SloName = 'availability' | 'latency';
export const SLO_NAMES: readonly SloName[] = ['availability', 'latency'];

/** Recorded series: the error ratio of one SLO over one window (labels `slo`, `window`), and what the budget reads. */
export const SLO_RECORDS = {
  errorRatio: 'drafty_bird:slo_error_ratio',
  errors: 'drafty_bird:slo_errors:rate',
  requests: 'drafty_bird:slo_requests:rate',
  budgetRemaining: 'drafty_bird:slo_error_budget_remaining',
  objective: 'drafty_bird:slo_objective',
} as const;

/**
 * The SRE workbook's pairs for a 30-day window: page when 2% of the budget burns in an hour (14.4×,
 * confirmed over 5 minutes) or 5% in six hours (6×); ticket at 10% in a day (3×) or in three days (1×).
 */
const BURN_RATES_30D = [
  { severity: 'page', factor: 14.4, long: '1h', short: '5m' },
  { severity: 'page', factor: 6, long: '6h', short: '30m' },
  { severity: 'ticket', factor: 3, long: '1d', short: '2h' },
  { severity: 'ticket', factor: 1, long: '3d', short: '6h' },
] as const;
const THIRTY_DAYS = ms('30d');

const seconds = (duration: string) => {
  const value = ms(duration as ms.StringValue);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`not a duration: ${duration}`);
  return value / 1000;
};

/** Seconds as a Prometheus duration, in the largest unit that divides them (`3600` → `1h`). */
export function promDuration(totalSeconds: number): string {
  const whole = Math.max(1, Math.round(totalSeconds));
  for (const [unit, size] of [['d', 86_400], ['h', 3_600], ['m', 60]] as const) if (whole % size === 0) return `${whole / size}${unit}`;
  return `${whole}s`;
}

/** The shortest rate window worth alerting on with this scrape interval: four scrapes (a rate needs two). */
export function minRateWindow(scrapeInterval: string): string {
  return promDuration(Math.max(4 * seconds(scrapeInterval), 1));
}

/** A 30-day window scaled to the SLO window, never below the minimum rate window. */
function scaled(window30d: string, options: SloOptions): string {
  const factor = seconds(options.window) / (THIRTY_DAYS / 1000);
  return promDuration(Math.max(seconds(options.minWindow), seconds(window30d) * factor));
}

export function burnWindows(options: SloOptions): Array<{ severity: 'page' | 'ticket'; factor: number; long: string; short: string }> {
  return BURN_RATES_30D.map((rate) => ({ ...rate, long: scaled(rate.long, options), short: scaled(rate.short, options) }));
}

function objectiveOf(slo: SloName, options: SloOptions): number {
  return slo === 'availability' ? options.availability : options.latency.objective;
}

/** Bad and all player responses per second over `window`: 5xx, or slower than the threshold. */
function events(slo: SloName, selector: string, window: string, options: SloOptions): { bad: string; all: string } {
  if (slo === 'availability') {
    return {
      // Without any 5xx yet there is no 5xx series: count that as zero, not as no data.
      bad: `(sum(rate(${METRIC.httpRequests}{${selector},status=~"5.."}[${window}])) or vector(0))`,
      all: `sum(rate(${METRIC.httpRequests}{${selector}}[${window}]))`,
    };
  }
  const le = String(options.latency.thresholdSeconds);
  return {
    bad: `(sum(rate(${METRIC.httpDuration}_count{${selector}}[${window}])) - sum(rate(${METRIC.httpDuration}_bucket{${selector},le="${le}"}[${window}])))`,
    all: `sum(rate(${METRIC.httpDuration}_count{${selector}}[${window}]))`,
  };
}

export interface RecordingRule {
  record: string;
  expr: string;
  labels: Record<string, string>;
}

export interface SloAlertRule {
  alert: string;
  expr: string;
  for: string;
  labels: { severity: 'page' | 'ticket' | 'info'; slo?: string };
  annotations: { summary: string; description: string };
}

/** Every window the alerts read, shortest first; the shortest one also feeds the budget. */
function windowsOf(options: SloOptions): string[] {
  const all = new Set(burnWindows(options).flatMap((w) => [w.long, w.short]));
  return [...all].sort((a, b) => seconds(a) - seconds(b));
}

export function sloRecordingRules(job: string, options: SloOptions = SLO_DEFAULTS): RecordingRule[] {
  const selector = playerApi(`job="${job}"`);
  const [shortest] = windowsOf(options);
  return SLO_NAMES.flatMap((slo) => {
    const labels = (window: string) => ({ slo, window });
    const ratios = windowsOf(options).map((window) => {
      const { bad, all } = events(slo, selector, window, options);
      return { record: SLO_RECORDS.errorRatio, expr: `${bad} / ${all}`, labels: labels(window) };
    });
    const { bad, all } = events(slo, selector, shortest as string, options);
    // Sums over the SLO window, weighted by traffic: quiet hours (0/0) neither help nor poison the budget.
    const budget = `1 - (sum_over_time(${SLO_RECORDS.errors}{slo="${slo}"}[${options.window}]) / sum_over_time(${SLO_RECORDS.requests}{slo="${slo}"}[${options.window}])) / (1 - ${objectiveOf(slo, options)})`;
    return [
      ...ratios,
      { record: SLO_RECORDS.errors, expr: bad, labels: labels(shortest as string) },
      { record: SLO_RECORDS.requests, expr: all, labels: labels(shortest as string) },
      { record: SLO_RECORDS.budgetRemaining, expr: `max without (window) (${budget})`, labels: { slo } },
      { record: SLO_RECORDS.objective, expr: `vector(${objectiveOf(slo, options)})`, labels: { slo } },
    ];
  });
}

const ALERT_NAME: Record<SloName, string> = { availability: 'DraftyBirdAvailabilityBudgetBurn', latency: 'DraftyBirdLatencyBudgetBurn' };
export const SLO_ALERTS = { ...ALERT_NAME, exhausted: 'DraftyBirdErrorBudgetExhausted', absent: 'DraftyBirdSLOMetricAbsent' } as const;

/** Page and ticket burn-rate alerts per SLO, the budget running out, and the SLI going missing. */
export function sloAlertRules(job: string, options: SloOptions = SLO_DEFAULTS): SloAlertRule[] {
  const burns = SLO_NAMES.flatMap((slo) => {
    const budget = 1 - objectiveOf(slo, options);
    const ratio = (window: string) => `${SLO_RECORDS.errorRatio}{slo="${slo}",window="${window}"}`;
    return (['page', 'ticket'] as const).map((severity) => {
      const pairs = burnWindows(options).filter((w) => w.severity === severity);
      const threshold = (factor: number) => `${factor} * ${budget}`;
      const condition = pairs.map((w) => `(${ratio(w.long)} > ${threshold(w.factor)} and ignoring (window) ${ratio(w.short)} > ${threshold(w.factor)})`).join(' or ignoring (window) ');
      return {
        alert: ALERT_NAME[slo],
        expr: `max without (window) (${condition})`,
        for: '0m',
        labels: { severity, slo },
        annotations: {
          summary: `Drafty Bird is burning its ${slo} error budget ${severity === 'page' ? 'fast' : 'steadily'}`,
          description: `The ${slo} SLO (${objectiveOf(slo, options) * 100}% over ${options.window}) is burning its budget at ${pairs.map((w) => `${w.factor}×`).join(' or ')} the sustainable rate: {{ $value | humanizePercentage }} of player responses are bad over ${pairs.map((w) => w.long).join(' / ')}.`,
        },
      };
    });
  });
  return [
    ...burns,
    {
      alert: SLO_ALERTS.exhausted,
      expr: `${SLO_RECORDS.budgetRemaining} < 0`,
      for: '0m',
      labels: { severity: 'ticket' },
      annotations: {
        summary: 'A Drafty Bird SLO has spent its whole error budget',
        description: 'The {{ $labels.slo }} budget over the SLO window is {{ $value | humanizePercentage }} remaining: freeze risky changes until it recovers.',
      },
    },
    {
      alert: SLO_ALERTS.absent,
      expr: `absent(${METRIC.httpRequests}{job="${job}"})`,
      for: '10m',
      labels: { severity: 'ticket' },
      annotations: {
        summary: 'The series the SLOs are computed from are missing',
        description: 'No http_requests_total from Drafty Bird: the SLOs and their burn-rate alerts cannot see anything (scrape broken, metric renamed).',
      },
    },
  ];
}

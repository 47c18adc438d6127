/**
 * The game day's report: report.md (verdict, TTD/TTR, expectations, timeline, the chart), report.json
 * (the same result for machines) and chart.svg — error ratio, p99 and alert state over the run, drawn
 * by Vega-Lite.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TopLevelSpec } from 'vega-lite';
import type { GameDayResult } from './engine.ts';
import type { Scenario } from './scenario.ts';
import type { RangeSeries } from './sources.ts';

export interface ChartSeries {
  errorRatio: RangeSeries[];
  p99Seconds: RangeSeries[];
  /** ALERTS series of the expected alerts (value 1 while active; `alertstate` says pending or firing). */
  alerts: RangeSeries[];
  /** The in-process players' failure ratio, sampled while they played. */
  playersFailureRatio: Array<[number, number]>;
}

const seconds = (ms: number | undefined) => (ms === undefined ? '—' : `${(ms / 1000).toFixed(1)} s`);
const time = (at: number | undefined) => (at === undefined ? '—' : new Date(at).toISOString().slice(11, 19));
const offset = (at: number, from: number | undefined) => {
  if (from === undefined) return '';
  const delta = Math.round((at - from) / 1000);
  return `${delta < 0 ? '−' : '+'}${Math.abs(delta)} s`;
};

export function markdownReport(result: GameDayResult, scenario: Scenario, chartFile: string | undefined): string {
  const lines = [
    `# Game day: ${scenario.name} — ${result.verdict.toUpperCase()}`,
    '',
    scenario.description,
    '',
    '| | |',
    '|---|---|',
    `| Verdict | **${result.verdict}** |`,
    `| Fault | ${scenario.fault.description}, for ${scenario.duration} |`,
    `| Time to detect | ${seconds(result.timeToDetectMs)} (injection → first expected alert firing) |`,
    `| Time to recover | ${seconds(result.timeToRecoverMs)} (fault stopped → last expected alert resolved) |`,
    `| Players' recovery | ${seconds(result.playersRecoveredMs)} (fault stopped → the last bad answer a player got) |`,
    `| Players' disruption | ${seconds(result.playersDisruptionMs)} (a player's first bad answer → the last one) |`,
    `| Run | ${new Date(result.startedAt).toISOString()} → ${new Date(result.endedAt).toISOString()} |`,
    '',
  ];
  if (result.reasons.length) lines.push('## Why', '', ...result.reasons.map((reason) => `- ${reason}`), '');
  lines.push('## Expected alerts', '', '| Alert | Within | Pending | Firing | Delivered (receiver) | Resolved |', '|---|---|---|---|---|---|');
  for (const [index, outcome] of result.alerts.entries()) {
    const delivered = outcome.deliveredAt === undefined ? '—' : `${time(outcome.deliveredAt)} (${outcome.receivers?.join(', ') || 'none'})`;
    lines.push(`| ${outcome.alert} | ${scenario.expect.alerts[index]?.within ?? ''} | ${time(outcome.pendingAt)} | ${time(outcome.firingAt)} | ${delivered} | ${time(outcome.resolvedAt)} |`);
  }
  lines.push('', '## Timeline', '', '| Time (UTC) | From injection | Event | Detail |', '|---|---|---|---|');
  for (const entry of result.timeline) lines.push(`| ${time(entry.at)} | ${offset(entry.at, result.injectedAt)} | ${entry.event} | ${entry.detail.replaceAll('|', '\\|')} |`);
  if (chartFile) lines.push('', '## Over the run', '', `![Error ratio, p99 latency and alert state over the run](${chartFile})`);
  return `${lines.join('\n')}\n`;
}

type Row = { t: number; v: number; series: string };

const rowsOf = (series: RangeSeries[], name: (labels: Record<string, string>) => string): Row[] =>
  series.flatMap((s) => s.points.map(([t, v]) => ({ t, v, series: name(s.labels) })));

/**
 * ALERTS has a point only while an alert is active: one step line per alert (name and severity) over
 * the whole run instead — 1 firing, 0.5 pending, 0 otherwise — so a resolved alert drops to 0.
 */
export function alertStateRows(alerts: RangeSeries[], result: Pick<GameDayResult, 'startedAt' | 'endedAt'>): Row[] {
  const keyOf = (labels: Record<string, string>) => `${labels.alertname}${labels.severity ? ` (${labels.severity})` : ''}`;
  const byKey = new Map<string, Map<number, number>>();
  const times = new Set<number>([result.startedAt, result.endedAt]);
  for (const series of alerts) {
    const states = byKey.get(keyOf(series.labels)) ?? new Map<number, number>();
    byKey.set(keyOf(series.labels), states);
    const value = series.labels.alertstate === 'firing' ? 1 : 0.5;
    for (const [t] of series.points) {
      states.set(t, Math.max(states.get(t) ?? 0, value));
      times.add(t);
    }
  }
  const grid = [...times].sort((a, b) => a - b);
  return [...byKey].flatMap(([key, states]) => grid.map((t) => ({ t, v: states.get(t) ?? 0, series: key })));
}

/** The chart as Vega-Lite: three panels over the same time axis, the injection and the stop marked. */
export function chartSpec(result: GameDayResult, series: ChartSeries): TopLevelSpec {
  const marks = [
    ...(result.injectedAt === undefined ? [] : [{ t: result.injectedAt, label: 'injected' }]),
    ...(result.stoppedAt === undefined ? [] : [{ t: result.stoppedAt, label: 'fault stopped' }]),
  ];
  const x = { field: 't', type: 'temporal' as const, title: null, scale: { domain: [result.startedAt, result.endedAt] } };
  const rules = {
    data: { values: marks },
    layer: [
      { mark: { type: 'rule' as const, strokeDash: [4, 3], color: '#666' }, encoding: { x } },
      { mark: { type: 'text' as const, align: 'left' as const, dx: 3, dy: -4, color: '#444', fontSize: 10 }, encoding: { x, y: { value: 0 }, text: { field: 'label' } } },
    ],
  };
  const panel = (title: string, rows: Row[], yTitle: string, format?: string, step = false) => ({
    title,
    width: 620,
    height: 130,
    layer: [
      {
        data: { values: rows },
        mark: { type: 'line' as const, interpolate: step ? ('step-after' as const) : ('linear' as const) },
        encoding: { x, y: { field: 'v', type: 'quantitative' as const, title: yTitle, ...(format ? { axis: { format } } : {}) }, color: { field: 'series', type: 'nominal' as const, title: null } },
      },
      rules,
    ],
  });
  const errorRows = [
    ...rowsOf(series.errorRatio, () => 'server (player API)'),
    ...series.playersFailureRatio.map(([t, v]) => ({ t, v, series: "players' view" })),
  ];
  const alertRows = alertStateRows(series.alerts, result);
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: `Game day: ${result.scenario} (${result.verdict})`,
    vconcat: [
      panel('Error ratio', errorRows, 'share of answers', '%'),
      panel('p99 latency', rowsOf(series.p99Seconds, () => 'server p99 (player API)'), 'seconds'),
      panel('Alert state (1 firing, 0.5 pending)', alertRows, 'state', undefined, true),
    ],
    resolve: { scale: { color: 'independent' } },
    config: { font: 'sans-serif' },
  } as TopLevelSpec;
}

export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  // Loaded on use: Vega is ESM with top-level await, which the test suite's CommonJS build cannot
  // require(); a dynamic import works in both (jest keeps dynamic imports, see jest.config.cjs).
  const vega = await import('vega');
  const { compile } = await import('vega-lite');
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  return view.toSVG();
}

/** Writes report.md, report.json and chart.svg into `dir`; returns the report's path. */
export async function writeReport(dir: string, result: GameDayResult, scenario: Scenario, series: ChartSeries | undefined): Promise<string> {
  mkdirSync(dir, { recursive: true });
  const chartFile = series ? 'chart.svg' : undefined;
  if (series) writeFileSync(join(dir, 'chart.svg'), await renderSvg(chartSpec(result, series)));
  writeFileSync(join(dir, 'report.json'), `${JSON.stringify(result, null, 2)}\n`);
  const path = join(dir, 'report.md');
  writeFileSync(path, markdownReport(result, scenario, chartFile));
  return path;
}

/*
 * The one source of Drafty Bird's alert rules and scrape configuration. The chart puts them in the
 * Prometheus ConfigMap; `npm run synth` also writes them under compose/prometheus/ for docker compose;
 * the promtool tests and the end-to-end suite load the very same rules.
 */

import { METRIC } from '../../src/metrics/metric-names.ts';
import { errorRatio, p99Seconds } from './promql.ts';
import { type RecordingRule, SLO_DEFAULTS, type SloAlertRule, sloAlertRules, type SloOptions, sloRecordingRules } from './slo.ts';
import { OPERATOR_ROUTES } from '../../src/surface.ts';
import { PLAYERS_METRICS_PORT_NAME, PLAYERS_NAME } from '../constructs/app-names.ts';

export const APP_JOB = 'drafty-bird';
/**
 * The target label Prometheus puts a pod's revision in — Argo Rollouts' `rollouts-pod-template-hash`
 * (scale-out) or the StatefulSet's `controller-revision-hash` (single writer): one revision's series.
 */
export const REVISION_LABEL = 'revision';
/** The app's series: every replica, every revision. */
const JOB = `job="${APP_JOB}"`;

export interface AlertRule {
  alert: string;
  expr: string;
  for: string;
  labels: { severity: 'page' | 'ticket' | 'info'; slo?: string };
  annotations: { summary: string; description: string; runbook_url: string };
}

export interface RuleOptions {
  /** How long a condition must hold before the alert fires; the runbooks say 5 minutes. */
  forDuration?: string;
  /** For the "no target" alert, shorter because an absent service is urgent. */
  downForDuration?: string;
  /** The replicas that must be ready: 1 with SQLite, `scaling.minReplicas` with PostgreSQL. */
  minReplicas?: number;
  /** The SLOs' window and objectives (chart values `slo.*`). */
  slo?: SloOptions;
}

/** Where each alert's runbook lives: docs/runbooks/<alert>.md in this repository. */
export const RUNBOOKS_URL = 'https://github.com/drafty-bird/drafty-bird-platform/blob/main/docs/runbooks';
export const runbookUrl = (alert: string) => `${RUNBOOKS_URL}/${alert}.md`;

/**
 * Every alert: the runbooks' alarms (5xx ratio > 1%, p99 > 500 ms, no ready replica / target down, as
 * the runbooks state them), the SLO burn-rate alerts, chaos; each with its runbook's URL.
 */
export function alertRules(options: RuleOptions = {}): AlertRule[] {
  const rules = [...runbookAlerts(options), ...sloAlertRules(APP_JOB, options.slo ?? SLO_DEFAULTS)];
  return rules.map((rule) => ({ ...rule, annotations: { ...rule.annotations, runbook_url: runbookUrl(rule.alert) } }));
}

function runbookAlerts({ forDuration = '5m', downForDuration = '1m', minReplicas = 1 }: RuleOptions): SloAlertRule[] {
  return [
    {
      alert: 'DraftyBirdHighErrorRate',
      expr: `${errorRatio(JOB, '5m')} > 0.01`,
      for: forDuration,
      labels: { severity: 'page' },
      annotations: {
        summary: 'More than 1% of Drafty Bird responses are 5xx',
        description: '5xx ratio over 5 minutes is {{ $value | humanizePercentage }}. Check chaos first (DraftyBirdChaosInjecting), then storage (/readyz reason).',
      },
    },
    {
      alert: 'DraftyBirdHighLatencyP99',
      expr: `${p99Seconds(JOB, '5m')} > 0.5`,
      for: forDuration,
      labels: { severity: 'page' },
      annotations: {
        summary: 'Drafty Bird p99 latency is above 500 ms',
        description: 'p99 over 5 minutes is {{ $value | humanizeDuration }}. Search traces by chaos.type=latency.',
      },
    },
    {
      alert: 'DraftyBirdDown',
      expr: `absent(up{job="${APP_JOB}"} == 1)`,
      for: downForDuration,
      labels: { severity: 'page' },
      annotations: {
        summary: 'No ready Drafty Bird replica is being scraped',
        description: 'The scrape target is down or no pod exists: players cannot play and scores are not stored.',
      },
    },
    {
      alert: 'DraftyBirdReplicasBelowMinimum',
      // A replica that is gone has no series (it goes stale), one that is not ready reports 0.
      expr: `(sum(${METRIC.ready}{job="${APP_JOB}"}) or vector(0)) < ${minReplicas}`,
      for: downForDuration,
      labels: { severity: minReplicas > 1 ? 'ticket' : 'page' },
      annotations: {
        summary: `Fewer than ${minReplicas} Drafty Bird replica(s) ready`,
        description: '{{ $value }} replica(s) ready. Check the /readyz reasons, the HorizontalPodAutoscaler and pending pods (zone capacity).',
      },
    },
    {
      alert: 'DraftyBirdDatabaseUnreachable',
      expr: `min by (instance, engine) (${METRIC.storageUp}{job="${APP_JOB}"}) == 0`,
      for: downForDuration,
      labels: { severity: 'page' },
      annotations: {
        summary: 'A Drafty Bird replica cannot use its score database',
        description: '{{ $labels.instance }} reports its {{ $labels.engine }} storage down: scores answer 503. The /readyz reason says why (refused, timeout, read-only, disk full).',
      },
    },
    {
      alert: 'DraftyBirdLogLinesDropped',
      // A replica's stdout was not read fast enough (log driver or node agent stalled): lines beyond the
      // logger's bound were dropped, so the logs a runbook search reads have holes.
      expr: `sum by (instance) (rate(${METRIC.logLinesDropped}{job="${APP_JOB}"}[5m])) > 0`,
      for: '0m',
      labels: { severity: 'ticket' },
      annotations: {
        summary: 'A Drafty Bird replica is dropping log lines',
        description: '{{ $labels.instance }} dropped {{ $value | printf "%.2f" }} log lines/s over 5 minutes: nothing read its stdout fast enough. Requests are still served; the dropped lines are lost.',
      },
    },
    {
      alert: 'DraftyBirdChaosLeftOn',
      // Enabled with no expiry on some replica, for longer than any game day: somebody forgot it.
      expr: `max(${METRIC.chaosEnabled}{job="${APP_JOB}"}) == 1 and min(${METRIC.chaosExpiry}{job="${APP_JOB}"}) == 0`,
      for: '2h',
      labels: { severity: 'ticket' },
      annotations: {
        summary: 'Chaos has been on without an expiry for two hours',
        description: 'Chaos is enabled and not time-boxed: a game day that was never ended? DELETE /chaos turns it off; PUT /chaos with durationSeconds time-boxes it.',
      },
    },
    {
      alert: 'DraftyBirdChaosInjecting',
      expr: `sum(rate(drafty_bird_chaos_injections_total{job="${APP_JOB}"}[5m])) > 0`,
      for: '0m',
      labels: { severity: 'info' },
      annotations: {
        summary: 'Chaos is injecting faults into Drafty Bird',
        description: 'Fault injection is active ({{ $value | printf "%.2f" }}/s). Expected on game days only.',
      },
    },
  ];
}

export type Rule = AlertRule | RecordingRule;

/** The rule file: the SLIs recorded first (the burn-rate alerts read them), then every alert. */
export function ruleFile(options: RuleOptions = {}): { groups: Array<{ name: string; rules: Rule[] }> } {
  return {
    groups: [
      { name: 'drafty-bird-slo', rules: sloRecordingRules(APP_JOB, options.slo ?? SLO_DEFAULTS) },
      { name: 'drafty-bird', rules: alertRules(options) },
    ],
  };
}

export interface ScrapeTarget {
  /** Kubernetes pod discovery in this namespace, keeping pods annotated prometheus.io/scrape=true. */
  kubernetesNamespace?: string;
  /** Or fixed host:port targets (the local e2e run). */
  staticTargets?: string[];
  /** Or every address a DNS name resolves to (docker compose: one per replica of a service), on this port. */
  dnsTarget?: { name: string; port: number };
}

export interface PrometheusConfigOptions extends ScrapeTarget {
  /** The synthetic players' metrics (their view of the service), as the `drafty-bird-players` job: where to find them. @default none */
  players?: ScrapeTarget;
  scrapeInterval?: string;
  evaluationInterval?: string;
  ruleFiles: string[];
  /** Alertmanagers (host:port) firing and resolved alerts are sent to. */
  alertmanagers?: string[];
}

/** prometheus.yml: one job for the app, discovered in the namespace or through DNS, or static. */
export function prometheusConfig(options: PrometheusConfigOptions): Record<string, unknown> {
  const interval = options.scrapeInterval ?? '15s';
  const app = scrapeJob(APP_JOB, OPERATOR_ROUTES.metrics, interval, options, {
    select: [
      { source_labels: ['__meta_kubernetes_pod_annotation_prometheus_io_scrape'], action: 'keep', regex: 'true' },
      {
        source_labels: ['__address__', '__meta_kubernetes_pod_annotation_prometheus_io_port'],
        action: 'replace',
        regex: '([^:]+)(?::\\d+)?;(\\d+)',
        replacement: '$1:$2',
        target_label: '__address__',
      },
    ],
    // The revision a pod belongs to, so a release gate can measure the new one alone. A pod has one of
    // the two labels (Rollout or StatefulSet); joined by ';', whichever is set is the value.
    label: [
      {
        source_labels: ['__meta_kubernetes_pod_label_rollouts_pod_template_hash', '__meta_kubernetes_pod_label_controller_revision_hash'],
        separator: ';',
        regex: '(.*);(.*)',
        replacement: '$1$2',
        target_label: REVISION_LABEL,
      },
    ],
  });
  return {
    global: { scrape_interval: interval, evaluation_interval: options.evaluationInterval ?? '15s' },
    rule_files: options.ruleFiles,
    ...(options.alertmanagers?.length ? { alerting: { alertmanagers: [{ static_configs: [{ targets: options.alertmanagers }] }] } } : {}),
    scrape_configs: [app, ...(options.players ? [playersJob(options.players, interval)] : [])],
  };
}

/** Its own job, so `up{job="drafty-bird"}` and every SLO stay the service's alone. */
export const PLAYERS_JOB = 'drafty-bird-players';

function playersJob(target: ScrapeTarget, scrapeInterval: string): Record<string, unknown> {
  return scrapeJob(PLAYERS_JOB, '/metrics', scrapeInterval, target, {
    select: [
      { source_labels: ['__meta_kubernetes_pod_label_app_kubernetes_io_name'], action: 'keep', regex: PLAYERS_NAME },
      { source_labels: ['__meta_kubernetes_pod_container_port_name'], action: 'keep', regex: PLAYERS_METRICS_PORT_NAME },
    ],
  });
}

type RelabelRule = Record<string, unknown>;

/**
 * One scrape job on a target: pod discovery in a namespace (`select` picks the pods and their address,
 * then every series gets `namespace` and `pod`, then the job's own `label` rules), DNS, or static.
 */
function scrapeJob(name: string, metricsPath: string, interval: string, target: ScrapeTarget, pods: { select: RelabelRule[]; label?: RelabelRule[] }): Record<string, unknown> {
  const job: Record<string, unknown> = { job_name: name, metrics_path: metricsPath, scrape_interval: interval };
  if (target.kubernetesNamespace) {
    job.kubernetes_sd_configs = [{ role: 'pod', namespaces: { names: [target.kubernetesNamespace] } }];
    job.relabel_configs = [
      ...pods.select,
      { source_labels: ['__meta_kubernetes_namespace'], target_label: 'namespace' },
      { source_labels: ['__meta_kubernetes_pod_name'], target_label: 'pod' },
      ...(pods.label ?? []),
    ];
  } else if (target.dnsTarget) {
    job.dns_sd_configs = [{ names: [target.dnsTarget.name], type: 'A', port: target.dnsTarget.port, refresh_interval: '15s' }];
  } else {
    job.static_configs = [{ targets: target.staticTargets ?? [] }];
  }
  return job;
}

import { parse, stringify } from 'yaml';
import { PROMETHEUS_NAME } from '../../charts/constructs/observability.ts';
import { APP_JOB } from '../../charts/observability/prometheus-config.ts';
import type { Manifest } from '../../charts/synth.ts';
import { mapMounts, podTemplate } from './manifest.ts';
import { ManifestTool } from './manifest-tool.ts';

export interface Alert {
  labels: { alertname: string } & Record<string, string>;
  state: 'pending' | 'firing';
}

/** A Prometheus HTTP API client: instant queries, alerts, targets. */
export class PrometheusApi {
  constructor(readonly url: string) {}

  async query(expr: string): Promise<Array<{ metric: Record<string, string>; value: [number, string] }>> {
    const res = await fetch(`${this.url}/api/v1/query?query=${encodeURIComponent(expr)}`);
    const body = (await res.json()) as { status: string; error?: string; data: { result: Array<{ metric: Record<string, string>; value: [number, string] }> } };
    if (body.status !== 'success') throw new Error(`query failed: ${expr}: ${body.error ?? res.status}`);
    return body.data.result;
  }

  /** The exemplars stored for `expr`'s series over the last `seconds`: each with its labels (trace_id) and value. */
  async exemplars(expr: string, seconds = 300): Promise<Array<{ seriesLabels: Record<string, string>; exemplars: Array<{ labels: Record<string, string>; value: string }> }>> {
    const now = Date.now() / 1000;
    const res = await fetch(`${this.url}/api/v1/query_exemplars?query=${encodeURIComponent(expr)}&start=${now - seconds}&end=${now}`);
    const body = (await res.json()) as { status: string; error?: string; data: Array<{ seriesLabels: Record<string, string>; exemplars: Array<{ labels: Record<string, string>; value: string }> }> };
    if (body.status !== 'success') throw new Error(`exemplar query failed: ${expr}: ${body.error ?? res.status}`);
    return body.data;
  }

  /** How many scrape targets of the app job are up right now. */
  async appTargetsUp(): Promise<number> {
    return (await this.query(`up{job="${APP_JOB}"} == 1`)).length;
  }

  async alerts(): Promise<Alert[]> {
    const body = (await (await fetch(`${this.url}/api/v1/alerts`)).json()) as { data: { alerts: Alert[] } };
    return body.data.alerts;
  }

  async alertState(name: string): Promise<'inactive' | 'pending' | 'firing'> {
    return (await this.alerts()).find((alert) => alert.labels.alertname === name)?.state ?? 'inactive';
  }

  async ruleNames(): Promise<string[]> {
    const body = (await (await fetch(`${this.url}/api/v1/rules`)).json()) as { data: { groups: Array<{ rules: Array<{ name: string }> }> } };
    return body.data.groups.flatMap((group) => group.rules.map((rule) => rule.name));
  }
}

/**
 * Debian's prometheus binary run as the chart's Prometheus container runs (see ManifestTool). Only
 * Kubernetes pod discovery differs, because no cluster runs here: it becomes static targets that carry
 * the discovery labels a pod of the app's template would get (the chart's relabelling still runs on
 * them).
 */
export class ManifestPrometheus {
  private readonly tool: ManifestTool;
  api?: PrometheusApi;

  constructor(private readonly manifests: readonly Manifest[]) {
    this.tool = new ManifestTool(manifests, { deployment: PROMETHEUS_NAME, container: 'prometheus', binary: 'prometheus' });
  }

  /**
   * `target`: the app's host:port, or several, each with the Kubernetes labels of the pod it stands for.
   * `alertmanager`: the host:port standing in for the in-cluster Alertmanager; none: alerts stay here.
   */
  async start(target: string | readonly LabelledTarget[], alertmanager?: string): Promise<PrometheusApi> {
    const pods = discoveredPods(this.manifests, target);
    this.api = new PrometheusApi(await this.tool.start((file, content, mounts) => (file === 'prometheus.yml' ? prometheusYml(content, mounts, pods, alertmanager) : content)));
    return this.api;
  }

  stop(): Promise<void> {
    return this.tool.stop();
  }
}

type ScrapeConfig = Record<string, unknown> & { kubernetes_sd_configs?: unknown };

/** A scrape target standing in for a pod: its address and the Kubernetes labels that pod carries. */
export interface LabelledTarget {
  address: string;
  podLabels: Record<string, string>;
  /** The workload whose pod template this target stands for (default: the app's). */
  workload?: string;
  /** The container port's name discovery reports (the players job keeps `metrics`). */
  portName?: string;
}

/** What kubernetes_sd would report for each target: its pod template's annotations, the pod's labels. */
function discoveredPods(manifests: readonly Manifest[], target: string | readonly LabelledTarget[]): Array<{ targets: string[]; labels: Record<string, string> }> {
  const targets: readonly LabelledTarget[] = typeof target === 'string' ? [{ address: target, podLabels: {} }] : target;
  const meta = (kind: string, name: string) => `__meta_kubernetes_pod_${kind}_${name.replace(/[^a-zA-Z0-9_]/g, '_')}`;
  return targets.map(({ address, podLabels, workload = APP_JOB, portName }, index) => {
    const owner = manifests.find((m) => ['StatefulSet', 'Rollout', 'Deployment'].includes(m.kind) && m.metadata.name === workload);
    if (!owner) throw new Error(`no workload ${workload} in the manifests`);
    const template = podTemplate(owner);
    const labels: Record<string, string> = { __meta_kubernetes_namespace: owner.metadata.namespace ?? 'default', __meta_kubernetes_pod_name: `${workload}-${index}` };
    if (portName) labels.__meta_kubernetes_pod_container_port_name = portName;
    for (const [name, value] of Object.entries(template.metadata?.annotations ?? {})) labels[meta('annotation', name)] = value;
    for (const [name, value] of Object.entries({ ...template.metadata?.labels, ...podLabels })) labels[meta('label', name)] = value;
    // The annotation names the container's port; here the process's own port stands in for it.
    if (template.metadata?.annotations?.['prometheus.io/port']) labels[meta('annotation', 'prometheus.io/port')] = new URL(`http://${address}`).port;
    return { targets: [address], labels };
  });
}

/** prometheus.yml with pod discovery swapped for static targets, the Alertmanager's address and mounted paths mapped. */
function prometheusYml(content: string, mounts: Record<string, string>, pods: ReturnType<typeof discoveredPods>, alertmanager?: string): string {
  const config = parse(content) as { rule_files?: string[]; scrape_configs?: ScrapeConfig[]; alerting?: { alertmanagers: Array<{ static_configs: Array<{ targets: string[] }> }> } };
  if (config.alerting && alertmanager) config.alerting.alertmanagers = [{ static_configs: [{ targets: [alertmanager] }] }];
  else delete config.alerting;
  config.rule_files = config.rule_files?.map((file) => mapMounts(file, mounts));
  config.scrape_configs = config.scrape_configs?.map(({ kubernetes_sd_configs, ...job }) => (kubernetes_sd_configs ? { ...job, static_configs: pods } : job));
  return stringify(config);
}

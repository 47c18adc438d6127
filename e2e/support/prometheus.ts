import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { PROMETHEUS_NAME } from '../../charts/constructs/observability.ts';
import { APP_JOB } from '../../charts/observability/prometheus-config.ts';
import type { Manifest } from '../../charts/synth.ts';
import { freePort } from '../../test/support/server-process.ts';
import { waitFor } from '../../test/support/wait.ts';
import { configMapData, containerOf, find, mapMounts, mountFolders, podTemplate } from './manifest.ts';

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
 * Debian's prometheus binary run as the chart's Prometheus container runs: exactly the container's
 * args and the files of the ConfigMap it mounts, with mount paths mapped to a temp folder. Only two
 * things differ, because no cluster runs here: Kubernetes pod discovery becomes static targets that
 * carry the discovery labels a pod of the app's template would get (the chart's relabelling still
 * runs on them), and the web listener, which the container leaves at its default :9090, gets a free
 * loopback port.
 */
export class ManifestPrometheus {
  private proc?: ChildProcess;
  private dir?: string;
  api?: PrometheusApi;

  constructor(private readonly manifests: readonly Manifest[]) {}

  /**
   * `target`: the app's host:port, or several, each with the Kubernetes labels of the pod it stands for.
   * `alertmanager`: the host:port standing in for the in-cluster Alertmanager; none: alerts stay here.
   */
  async start(target: string | readonly LabelledTarget[], alertmanager?: string): Promise<PrometheusApi> {
    this.dir = mkdtempSync(join(tmpdir(), 'drafty-bird-prometheus-'));
    const { args, stderr, port } = await this.spawn(target, alertmanager);
    const url = `http://127.0.0.1:${port}`;
    const ready = async () => {
      if (this.proc?.exitCode !== null) throw new Error(`prometheus exited with ${this.proc?.exitCode}`);
      return fetch(`${url}/-/ready`).then((res) => res.ok, () => false);
    };
    await waitFor('prometheus to be ready', ready, 20_000).catch((error) => {
      throw new Error(`${(error as Error).message}\nprometheus ${args.join(' ')}\n${stderr.join('')}`);
    });
    this.api = new PrometheusApi(url);
    return this.api;
  }

  private async spawn(target: string | readonly LabelledTarget[], alertmanager?: string) {
    const workload = find(this.manifests, 'Deployment', PROMETHEUS_NAME);
    const container = containerOf(workload, 'prometheus');
    const volumes = podTemplate(workload).spec.volumes ?? [];
    const mounts = mountFolders(container, this.dir as string);
    for (const mount of container.volumeMounts ?? []) {
      mkdirSync(mounts[mount.mountPath] as string, { recursive: true });
      const configMap = volumes.find((v) => v.name === mount.name)?.configMap;
      if (configMap) writeConfigMap(mounts[mount.mountPath] as string, configMapData(this.manifests, configMap.name), mounts, discoveredPods(this.manifests, target), alertmanager);
    }
    if (container.command) throw new Error('the Prometheus container overrides the image entrypoint: run that here too');
    const port = await freePort();
    const args = [...(container.args ?? []).map((arg) => mapMounts(arg, mounts)), `--web.listen-address=127.0.0.1:${port}`];
    this.proc = spawn('prometheus', args, { stdio: ['ignore', 'ignore', 'pipe'] });
    const stderr: string[] = [];
    this.proc.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
    return { args, stderr, port };
  }

  async stop(): Promise<void> {
    if (this.proc && this.proc.exitCode === null) {
      this.proc.kill('SIGTERM');
      await once(this.proc, 'exit');
    }
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
  }
}

type ScrapeConfig = Record<string, unknown> & { kubernetes_sd_configs?: unknown };

/** A scrape target standing in for a pod: its address and the Kubernetes labels that pod carries. */
export interface LabelledTarget {
  address: string;
  podLabels: Record<string, string>;
}

/** What kubernetes_sd would report for each target: the app pod template's annotations, the pod's labels. */
function discoveredPods(manifests: readonly Manifest[], target: string | readonly LabelledTarget[]): Array<{ targets: string[]; labels: Record<string, string> }> {
  const app = manifests.find((m) => (m.kind === 'StatefulSet' || m.kind === 'Rollout') && m.metadata.name === APP_JOB);
  if (!app) throw new Error('no app workload in the manifests');
  const template = podTemplate(app);
  const targets = typeof target === 'string' ? [{ address: target, podLabels: {} }] : target;
  const meta = (kind: string, name: string) => `__meta_kubernetes_pod_${kind}_${name.replace(/[^a-zA-Z0-9_]/g, '_')}`;
  return targets.map(({ address, podLabels }, index) => {
    const labels: Record<string, string> = { __meta_kubernetes_namespace: app.metadata.namespace ?? 'default', __meta_kubernetes_pod_name: `${APP_JOB}-${index}` };
    for (const [name, value] of Object.entries(template.metadata?.annotations ?? {})) labels[meta('annotation', name)] = value;
    for (const [name, value] of Object.entries({ ...template.metadata?.labels, ...podLabels })) labels[meta('label', name)] = value;
    // The annotation names the container's port; here the process's own port stands in for it.
    labels[meta('annotation', 'prometheus.io/port')] = new URL(`http://${address}`).port;
    return { targets: [address], labels };
  });
}

/** The ConfigMap's files, with pod discovery swapped for static targets and mounted paths mapped. */
function writeConfigMap(dir: string, files: Record<string, string>, mounts: Record<string, string>, pods: ReturnType<typeof discoveredPods>, alertmanager?: string): void {
  for (const [name, content] of Object.entries(files)) {
    let text = content;
    if (name === 'prometheus.yml') {
      const config = parse(content) as { rule_files?: string[]; scrape_configs?: ScrapeConfig[]; alerting?: { alertmanagers: Array<{ static_configs: Array<{ targets: string[] }> }> } };
      if (config.alerting && alertmanager) config.alerting.alertmanagers = [{ static_configs: [{ targets: [alertmanager] }] }];
      else delete config.alerting;
      config.rule_files = config.rule_files?.map((file) => mapMounts(file, mounts));
      config.scrape_configs = config.scrape_configs?.map(({ kubernetes_sd_configs, ...job }) => (kubernetes_sd_configs ? { ...job, static_configs: pods } : job));
      text = stringify(config);
    }
    writeFileSync(join(dir, name), text);
  }
}

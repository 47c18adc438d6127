import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { APP_JOB, prometheusConfig, ruleFile } from '../../charts/observability/prometheus-config.ts';
import { freePort } from '../../test/support/server-process.js';
import { waitFor } from '../../test/support/wait.js';

export interface Alert {
  labels: { alertname: string } & Record<string, string>;
  state: 'pending' | 'firing';
}

/** A Prometheus HTTP API client: instant queries, alerts, targets. */
export class PrometheusApi {
  constructor(readonly url: string) {}

  async query(expr: string): Promise<Array<{ metric: Record<string, string>; value: [number, string] }>> {
    const res = await fetch(`${this.url}/api/v1/query?query=${encodeURIComponent(expr)}`);
    const body = (await res.json()) as { status: string; data: { result: Array<{ metric: Record<string, string>; value: [number, string] }> } };
    if (body.status !== 'success') throw new Error(`query failed: ${expr}`);
    return body.data.result;
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

/** Debian's prometheus binary, scraping `target` every second with the chart's alert rules. */
export class LocalPrometheus {
  private proc?: ChildProcess;
  private dir?: string;
  api?: PrometheusApi;

  async start(target: string): Promise<PrometheusApi> {
    this.dir = mkdtempSync(join(tmpdir(), 'drafty-bird-prometheus-'));
    // The expressions are the chart's, untouched; only evaluation cadence and `for` are shortened.
    writeFileSync(join(this.dir, 'alerts.yml'), stringify(ruleFile({ forDuration: '5s', downForDuration: '5s' })));
    writeFileSync(
      join(this.dir, 'prometheus.yml'),
      stringify(prometheusConfig({ staticTargets: [target], scrapeInterval: '1s', evaluationInterval: '1s', ruleFiles: [join(this.dir, 'alerts.yml')] })),
    );
    const port = await freePort();
    this.proc = spawn(
      'prometheus',
      [
        `--config.file=${join(this.dir, 'prometheus.yml')}`,
        `--storage.tsdb.path=${join(this.dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
        '--log.level=warn',
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    const stderr: string[] = [];
    this.proc.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
    const url = `http://127.0.0.1:${port}`;
    await waitFor('prometheus to be ready', () => fetch(`${url}/-/ready`).then((res) => res.ok, () => false), 20_000).catch((error) => {
      throw new Error(`${(error as Error).message}\n${stderr.join('')}`);
    });
    this.api = new PrometheusApi(url);
    return this.api;
  }

  async stop(): Promise<void> {
    if (this.proc && this.proc.exitCode === null) {
      this.proc.kill('SIGTERM');
      await once(this.proc, 'exit');
    }
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
  }
}

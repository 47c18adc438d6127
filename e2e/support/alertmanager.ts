import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { ALERTMANAGER_NAME } from '../../charts/constructs/alertmanager.ts';
import type { AlertmanagerConfig } from '../../charts/observability/alertmanager-config.ts';
import type { Manifest } from '../../charts/synth.ts';
import { freePort } from '../../test/support/server-process.ts';
import { waitFor } from '../../test/support/wait.ts';
import { configMapData, containerOf, find, mapMounts, mountFolders, podTemplate } from './manifest.ts';

/** Debian's package name for the alertmanager binary. */
export const ALERTMANAGER_BINARY = 'prometheus-alertmanager';

/**
 * Debian's Alertmanager run as the chart's container runs: its args and the ConfigMap it mounts, mount
 * paths mapped to a temp folder. Only the receivers' destination differs — every receiver delivers to
 * `webhookUrl` (the test's receiver stands in for the site's webhook) — and the web listener gets a free
 * loopback port. The routing tree, grouping and inhibition are the chart's.
 */
export class ManifestAlertmanager {
  private proc?: ChildProcess;
  private dir?: string;
  url?: string;

  constructor(private readonly manifests: readonly Manifest[]) {}

  async start(webhookUrl: string): Promise<string> {
    this.dir = mkdtempSync(join(tmpdir(), 'drafty-bird-alertmanager-'));
    const workload = find(this.manifests, 'Deployment', ALERTMANAGER_NAME);
    const container = containerOf(workload, 'alertmanager');
    if (container.command) throw new Error('the Alertmanager container overrides the image entrypoint: run that here too');
    const volumes = podTemplate(workload).spec.volumes ?? [];
    const mounts = mountFolders(container, this.dir);
    for (const mount of container.volumeMounts ?? []) {
      mkdirSync(mounts[mount.mountPath] as string, { recursive: true });
      const configMap = volumes.find((v) => v.name === mount.name)?.configMap;
      if (!configMap) continue;
      for (const [name, content] of Object.entries(configMapData(this.manifests, configMap.name))) {
        const config = parse(content) as AlertmanagerConfig;
        config.receivers = config.receivers.map((receiver) => ({ name: receiver.name, webhook_configs: [{ url: webhookUrl, send_resolved: true }] }));
        writeFileSync(join(mounts[mount.mountPath] as string, name), stringify(config));
      }
    }
    const port = await freePort();
    const args = [...(container.args ?? []).map((arg) => mapMounts(arg, mounts)), `--web.listen-address=127.0.0.1:${port}`];
    this.proc = spawn(ALERTMANAGER_BINARY, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    const stderr: string[] = [];
    this.proc.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
    this.url = `http://127.0.0.1:${port}`;
    const ready = async () => {
      if (this.proc?.exitCode !== null) throw new Error(`alertmanager exited with ${this.proc?.exitCode}`);
      return fetch(`${this.url}/-/ready`).then((res) => res.ok, () => false);
    };
    await waitFor('alertmanager to be ready', ready, 20_000).catch((error) => {
      throw new Error(`${(error as Error).message}\n${ALERTMANAGER_BINARY} ${args.join(' ')}\n${stderr.join('')}`);
    });
    return `127.0.0.1:${port}`;
  }

  async stop(): Promise<void> {
    if (this.proc && this.proc.exitCode === null) {
      this.proc.kill('SIGTERM');
      await once(this.proc, 'exit');
    }
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
  }
}

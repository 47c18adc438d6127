import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Manifest } from '../../charts/synth.ts';
import { freePort } from '../../test/support/server-process.ts';
import { waitFor } from '../../test/support/wait.ts';
import { configMapData, containerOf, find, mapMounts, mountFolders, podTemplate } from './manifest.ts';

/** Rewrites one file of a mounted ConfigMap for this machine; `mounts` maps container paths to temp folders. */
export type ConfigRewrite = (fileName: string, content: string, mounts: Record<string, string>) => string;

/**
 * A monitoring Deployment of the synthesized manifests (Prometheus, Alertmanager) run as Debian's
 * binary runs it here: exactly the container's args and the ConfigMaps it mounts, mount paths mapped to
 * a temp folder and files passed through `rewrite` (what a machine without a cluster forces), and the
 * web listener, which the container leaves at its default, on a free loopback port. Ready on /-/ready.
 */
export class ManifestTool {
  private proc?: ChildProcess;
  private dir?: string;

  constructor(
    private readonly manifests: readonly Manifest[],
    private readonly tool: { deployment: string; container: string; binary: string },
  ) {}

  /** Starts it and waits until it is ready; returns its base URL. */
  async start(rewrite: ConfigRewrite): Promise<string> {
    const { deployment, container: name, binary } = this.tool;
    this.dir = mkdtempSync(join(tmpdir(), `drafty-bird-${deployment}-`));
    const workload = find(this.manifests, 'Deployment', deployment);
    const container = containerOf(workload, name);
    if (container.command) throw new Error(`the ${name} container overrides the image entrypoint: run that here too`);
    const volumes = podTemplate(workload).spec.volumes ?? [];
    const mounts = mountFolders(container, this.dir);
    for (const mount of container.volumeMounts ?? []) {
      const folder = mounts[mount.mountPath] as string;
      mkdirSync(folder, { recursive: true });
      const configMap = volumes.find((v) => v.name === mount.name)?.configMap;
      if (!configMap) continue;
      for (const [file, content] of Object.entries(configMapData(this.manifests, configMap.name))) writeFileSync(join(folder, file), rewrite(file, content, mounts));
    }
    const port = await freePort();
    const args = [...(container.args ?? []).map((arg) => mapMounts(arg, mounts)), `--web.listen-address=127.0.0.1:${port}`];
    const proc = spawn(binary, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    this.proc = proc;
    const stderr: string[] = [];
    proc.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
    const url = `http://127.0.0.1:${port}`;
    const ready = async () => {
      if (proc.exitCode !== null) throw new Error(`${binary} exited with ${proc.exitCode}`);
      return fetch(`${url}/-/ready`).then((res) => res.ok, () => false);
    };
    await waitFor(`${binary} to be ready`, ready, 20_000).catch((error) => {
      throw new Error(`${(error as Error).message}\n${binary} ${args.join(' ')}\n${stderr.join('')}`);
    });
    return url;
  }

  async stop(): Promise<void> {
    if (this.proc && this.proc.exitCode === null) {
      this.proc.kill('SIGTERM');
      await once(this.proc, 'exit');
    }
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
  }
}

import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { PLAYERS_NAME } from '../../charts/constructs/players.ts';
import type { Manifest } from '../../charts/synth.ts';
import { freePort } from '../../test/support/server-process.ts';
import { waitFor } from '../../test/support/wait.ts';
import { find, podTemplate } from './manifest.ts';

const ROOT = join(__dirname, '..', '..');

export interface ManifestPlayers {
  /** host:port of their /metrics. */
  metricsAddress: string;
  proc: ChildProcess;
  output(): string;
  /** SIGTERM; resolves with the exit code. */
  stop(): Promise<number | null>;
}

/**
 * The players Deployment's container command and args, as written in `manifests`, with the Service
 * address swapped for `publicUrl` and the metrics served on 127.0.0.1:`metricsPort` — what this
 * machine can reach; everything else as the manifest says.
 */
export function localPlayersCommand(manifests: readonly Manifest[], publicUrl: string, metricsPort: number): string[] {
  const container = podTemplate(find(manifests, 'Deployment', PLAYERS_NAME)).spec.containers[0]!;
  const written = [...(container.command ?? []), ...(container.args ?? [])];
  const swapped: Record<string, string> = { '--target': publicUrl, '--metrics-port': String(metricsPort), '--metrics-host': '127.0.0.1' };
  return written.map((arg, i) => swapped[written[i - 1] ?? ''] ?? arg);
}

/**
 * The players Deployment's container as a process here: its own command and args, with the Service
 * address swapped for `publicUrl` (the app's public port on this machine) and a free metrics port.
 */
export async function startManifestPlayers(manifests: readonly Manifest[], publicUrl: string): Promise<ManifestPlayers> {
  const metricsPort = await freePort();
  const [command, ...args] = localPlayersCommand(manifests, publicUrl, metricsPort);
  if (command !== 'node') throw new Error(`the players' command is ${command}, not node`);
  const proc = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  for (const stream of [proc.stdout, proc.stderr]) stream?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const metricsAddress = `127.0.0.1:${metricsPort}`;
  await waitFor('the players to be ready', () => fetch(`http://${metricsAddress}/readyz`).then((res) => res.ok, () => false), 15_000).catch((error: Error) => {
    proc.kill('SIGKILL');
    throw new Error(`${error.message}\n${output}`);
  });
  return {
    metricsAddress,
    proc,
    output: () => output,
    async stop() {
      if (proc.exitCode !== null || proc.signalCode !== null) return proc.exitCode;
      proc.kill('SIGTERM');
      const [code] = await once(proc, 'exit');
      return code as number | null;
    },
  };
}

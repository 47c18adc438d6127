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
 * The players Deployment's container as a process here: its own command and args, with the Service
 * address swapped for `publicUrl` (the app's public port on this machine) and a free metrics port.
 */
export async function startManifestPlayers(manifests: readonly Manifest[], publicUrl: string): Promise<ManifestPlayers> {
  const container = podTemplate(find(manifests, 'Deployment', PLAYERS_NAME)).spec.containers[0]!;
  const metricsPort = await freePort();
  const [command, ...args] = [...(container.command ?? []), ...(container.args ?? [])];
  if (command !== 'node') throw new Error(`the players' command is ${command}, not node`);
  const local = args.map((arg, i) => (args[i - 1] === '--target' ? publicUrl : args[i - 1] === '--metrics-port' ? String(metricsPort) : args[i - 1] === '--metrics-host' ? '127.0.0.1' : arg));
  const proc = spawn(process.execPath, local, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
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

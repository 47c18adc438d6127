import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { freePort } from './free-port.ts';
import { startArgs } from './start-command.ts';

export { freePort };
import { waitFor } from './wait.ts';

const ROOT = join(__dirname, '..', '..');

export interface ServerProcess {
  proc: ChildProcess;
  /** The main port: operators, probes, the scrape, and the API. */
  url: string;
  /** The public listener (PUBLIC_PORT), when the environment sets one: what players reach. */
  publicUrl?: string;
  /** Every JSON line the server wrote to stdout so far. */
  logs: Array<Record<string, unknown>>;
  stderr: string[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Starts the production build (`dist/`) with the image's own command, on `env.PORT` or a free port, and
 * waits until it answers. The suite's `npm test` builds first.
 */
export async function startServer(env: NodeJS.ProcessEnv, options: { wrapper?: string[] } = {}): Promise<ServerProcess> {
  const port = env.PORT ? Number(env.PORT) : await freePort();
  // A wrapper runs the same command under other limits (`prlimit --nofile=…`), as a container runtime would.
  const [program, ...args] = [...(options.wrapper ?? []), process.execPath, ...startArgs()] as [string, ...string[]];
  const proc = spawn(program, args, {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOST: '127.0.0.1', RATE_LIMIT_PER_MINUTE: '0', ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: Array<Record<string, unknown>> = [];
  const stderr: string[] = [];
  const exited = once(proc, 'exit').then(([code, signal]) => ({ code, signal }) as { code: number | null; signal: NodeJS.Signals | null });
  createInterface({ input: proc.stderr! }).on('line', (line) => stderr.push(line));
  createInterface({ input: proc.stdout! }).on('line', (line) => {
    try {
      logs.push(JSON.parse(line) as Record<string, unknown>);
    } catch {
      stderr.push(`non-JSON stdout: ${line}`);
    }
  });
  const url = `http://127.0.0.1:${port}`;
  let gone = false;
  void exited.then(() => (gone = true));
  await waitFor(`the server on ${url} to answer /healthz`, async () => {
    if (gone) throw new Error(`server exited before listening:\n${stderr.join('\n')}`);
    return fetch(`${url}/healthz`).then((res) => res.ok, () => false);
  });
  const publicUrl = env.PUBLIC_PORT ? `http://127.0.0.1:${env.PUBLIC_PORT}` : undefined;
  return { proc, url, publicUrl, logs, stderr, exited };
}

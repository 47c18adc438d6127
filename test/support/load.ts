import { setTimeout as sleep } from 'node:timers/promises';
import type { ServerProcess } from './server-process.ts';

/** Sends one score; the tests and the e2e suite each bring their own client. */
export type PostScore = (body: { player?: string; score: number }) => Promise<Response>;

/**
 * Concurrent writers with unique player names, recording every score acknowledged with 201, until
 * `kill` takes the process away under them. A request that errors was never acknowledged.
 */
export async function writeUntilKilled(
  post: PostScore,
  options: { round: number; writers: number; killAfterMs: number; kill: () => Promise<unknown>; maxScore: number },
): Promise<Map<string, number>> {
  const acknowledged = new Map<string, number>();
  let stop = false;
  const writer = async (w: number) => {
    for (let i = 0; !stop; i++) {
      const player = `r${options.round}w${w}i${i}`;
      const score = Math.floor(Math.random() * (options.maxScore + 1));
      try {
        const res = await post({ player, score });
        if (res.status !== 201) throw new Error(`unexpected ${res.status}`);
        acknowledged.set(player, score);
      } catch {
        return;
      }
    }
  };
  const writers = Array.from({ length: options.writers }, (_, w) => writer(w));
  await sleep(options.killAfterMs);
  await options.kill();
  stop = true;
  await Promise.all(writers);
  return acknowledged;
}

export interface DrainOutcome {
  /** Failures of requests that were sent before the signal: must be none. */
  failuresBeforeSignal: string[];
  completed: number;
  exitCode: number | null;
  drainMs: number;
}

/**
 * Sustained writes, then SIGTERM; `whileDraining` runs right after the signal (readiness checks), and
 * the writers keep going until the server has closed their connections.
 */
export async function writeThroughSigterm(
  post: PostScore,
  server: ServerProcess,
  options: { loaders: number; warmupMs: number; whileDraining: () => Promise<void> },
): Promise<DrainOutcome> {
  let signalled = false;
  const failuresBeforeSignal: string[] = [];
  let completed = 0;
  const load = async () => {
    while (true) {
      const sentBefore = !signalled;
      try {
        const res = await post({ score: 0 });
        if (res.status !== 201 && sentBefore) failuresBeforeSignal.push(`status ${res.status}`);
        completed += 1;
      } catch (error) {
        if (sentBefore) failuresBeforeSignal.push(String(error));
        return;
      }
    }
  };
  const loaders = Array.from({ length: options.loaders }, load);
  await sleep(options.warmupMs);
  const signalledAt = Date.now();
  server.proc.kill('SIGTERM');
  signalled = true;
  await options.whileDraining();
  const { code } = await server.exited;
  await Promise.all(loaders);
  return { failuresBeforeSignal, completed, exitCode: code, drainMs: Date.now() - signalledAt };
}

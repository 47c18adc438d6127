import { setTimeout as sleep } from 'node:timers/promises';
import { type Dispatcher, fetch as undiciFetch } from 'undici';
import { earliestSubmitMs } from '../../src/game/scoring.ts';

export type Fetch = (url: string, init?: RequestInit) => Promise<Response>;

/** `fetch` over a given undici pool (a keep-alive Agent, a source address). */
export const fetchVia = (dispatcher: Dispatcher): Fetch => (url, init) =>
  undiciFetch(url, { ...(init as object), dispatcher }) as unknown as Promise<Response>;

/** A run as a client that does not play holds it: the token, and when (on this machine) it began. */
export interface HeldRun {
  token: string;
  /** Local time the answer arrived: never before the server started the run. */
  receivedAt: number;
}

export interface PlayOptions {
  fetch?: Fetch;
  headers?: Record<string, string>;
  /** A run started earlier (its time counts); a new one otherwise. */
  run?: HeldRun;
}

/** A JSON POST the way the game sends one, through the given fetch and with the given headers. */
function postJson(url: string, json: string, options: Omit<PlayOptions, 'run'>): Promise<Response> {
  return (options.fetch ?? fetch)(url, { method: 'POST', headers: { 'content-type': 'application/json', ...options.headers }, body: json });
}

/** POST /game-start at `baseUrl` (the players' URL). */
export async function startRun(baseUrl: string, options: Omit<PlayOptions, 'run'> = {}): Promise<HeldRun> {
  const res = await postJson(`${baseUrl}/game-start`, '{}', options);
  const body = (await res.json()) as { run?: { token?: string } };
  if (res.status !== 202 || typeof body.run?.token !== 'string') throw new Error(`POST /game-start answered ${res.status}: ${JSON.stringify(body)}`);
  return { token: body.run.token, receivedAt: Date.now() };
}

/** Waits until `score` is plausible for `run` (see src/game/scoring.ts): the real time a player needs. */
export async function lastLongEnough(run: HeldRun, score: number): Promise<void> {
  const wait = run.receivedAt + earliestSubmitMs(score) - Date.now();
  if (wait > 0) await sleep(wait);
}

/**
 * POST /score the way the game does, for a client that does not play: a run from POST /game-start,
 * held as long as the score needs (a point takes ~1.7 s, the first ~3.3 s after the margin), then the
 * score with the run. Tests keep scores small so this stays short.
 */
export async function postPlayedScore(baseUrl: string, body: { player?: string; score: number }, options: PlayOptions = {}): Promise<Response> {
  const run = options.run ?? (await startRun(baseUrl, options));
  await lastLongEnough(run, body.score);
  return postJson(`${baseUrl}/score`, JSON.stringify({ run: run.token, ...body }), options);
}

/**
 * `count` runs started up front (`concurrency` at a time), for load that must not wait per score:
 * after `lastLongEnough(runs.at(-1), score)` every one of them can carry `score`.
 */
export async function startRuns(start: () => Promise<HeldRun>, count: number, concurrency = 8): Promise<HeldRun[]> {
  const runs: HeldRun[] = [];
  const worker = async () => {
    while (runs.length < count) runs.push(await start());
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return runs.sort((a, b) => a.receivedAt - b.receivedAt);
}

import { setTimeout as sleep } from 'node:timers/promises';
import { Agent, request } from 'undici';
import { PLAYER_ROUTES } from '../surface.ts';
import { NO_ANSWER, type PlayerMetrics } from './player-metrics.ts';
import type { GamePlan, SessionPlan } from './session.ts';

export interface PlayerContext {
  /** The service's public address: the only place a player sends anything. */
  target: URL;
  /** Sent on every request (a cohort header chaos can aim at). */
  headers: Record<string, string>;
  metrics: PlayerMetrics;
  /** Aborted when the crowd stops: the visit ends where it is. */
  signal: AbortSignal;
  /** Told of every answer as the player saw it (a game day watches the players' view through it). */
  onAnswer?: (answer: PlayerAnswer) => void;
}

export interface PlayerAnswer {
  route: string;
  method: string;
  /** The HTTP status, or `no_answer`. */
  status: string;
  seconds: number;
  /** When the answer arrived (epoch ms). */
  at: number;
}

/** Like a browser tab: a couple of keep-alive connections, held for the visit, closed when it ends. */
const CONNECTIONS_PER_PLAYER = 2;
/** A player gives up on an answer after this long. */
const REQUEST_TIMEOUT_MS = 10_000;
/** Pause between two looks at the leaderboard. */
const LEADERBOARD_PAUSE_MS = 800;

/** Plays one visit as planned; resolves when it ends (or is stopped), never throws for HTTP failures. */
export async function playSession(plan: SessionPlan, context: PlayerContext): Promise<void> {
  const agent = new Agent({ connections: CONNECTIONS_PER_PLAYER, keepAliveTimeout: 30_000 });
  try {
    for (const game of plan.games) await playGame(plan.player, game, agent, context);
  } catch (error) {
    if (!context.signal.aborted) throw error;
  } finally {
    await agent.close();
  }
}

async function playGame(player: string, game: GamePlan, agent: Agent, context: PlayerContext): Promise<void> {
  const { signal, metrics } = context;
  await sleep(game.thinkMs, undefined, { signal });
  const started = await send(agent, context, 'POST', PLAYER_ROUTES.gameStart, {});
  const run = (started.body as { run?: { token?: unknown } } | undefined)?.run?.token;
  if (started.status !== 202 || typeof run !== 'string') {
    metrics.games.inc({ outcome: 'failed' });
    return;
  }
  await sleep(game.runMs, undefined, { signal });
  const scored = await send(agent, context, 'POST', PLAYER_ROUTES.score, { run, player, score: game.score });
  metrics.games.inc({ outcome: scored.status === 201 ? 'stored' : 'failed' });
  for (let view = 0; view < game.leaderboardViews; view++) {
    if (view > 0) await sleep(LEADERBOARD_PAUSE_MS, undefined, { signal });
    await send(agent, context, 'GET', `${PLAYER_ROUTES.leaderboard}?limit=10`);
  }
}

interface Answer {
  status: number | typeof NO_ANSWER;
  body?: unknown;
}

/** One request, measured as the player sees it: until the whole answer has arrived. */
async function send(agent: Agent, context: PlayerContext, method: 'GET' | 'POST', path: string, json?: unknown): Promise<Answer> {
  const route = path.split('?')[0]!;
  const stop = context.metrics.duration.startTimer({ route, method });
  let answer: Answer;
  try {
    const response = await request(new URL(path, context.target), {
      dispatcher: agent,
      method,
      headers: { ...context.headers, ...(json === undefined ? {} : { 'content-type': 'application/json' }) },
      body: json === undefined ? undefined : JSON.stringify(json),
      signal: AbortSignal.any([context.signal, AbortSignal.timeout(REQUEST_TIMEOUT_MS)]),
    });
    const text = await response.body.text();
    answer = { status: response.statusCode, body: parseJson(text) };
  } catch (error) {
    if (context.signal.aborted) throw error;
    answer = { status: NO_ANSWER };
  }
  const seconds = stop();
  context.metrics.requests.inc({ route, method, status: String(answer.status) });
  context.onAnswer?.({ route, method, status: String(answer.status), seconds, at: Date.now() });
  return answer;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

import { parseArgs } from 'node:util';
import ms from 'ms';
import { HTTP_HEADER_NAME, parseHeaderSetting } from '../http/header-setting.ts';

/** The players' container command, after the build (the image's WORKDIR holds dist/). */
export const PLAYERS_CONTAINER_COMMAND = ['node', '--enable-source-maps', 'dist/players/main.js'] as const;

/** Where the players serve their own metrics (and /healthz), unless told otherwise. */
export const PLAYERS_METRICS_PORT = 9465;

export const PLAYERS_USAGE = `usage: npm run players -- --target URL [options]

  --target URL          the service's public address (the only place players send anything)
  --players N           most players playing at once (default 8)
  --arrival-rate R      new players per second at full rate (default 0.5)
  --ramp DURATION       arrivals climb from 0 to full over this long (default 30s)
  --duration DURATION   stop after this long (default: until Ctrl-C / SIGTERM)
  --header NAME=VALUE   sent on every request, for a cohort chaos can aim at (repeatable)
  --metrics-port PORT   serve the players' metrics on /metrics (default ${PLAYERS_METRICS_PORT}; 0: any free port)
  --metrics-host HOST   address to serve them on (default 127.0.0.1; 0.0.0.0 in a container)
  --seed N              plan visits from a seeded generator (repeatable runs)

Each player starts a run, survives a realistic time, posts the score that survival earns, glances at
the leaderboard and thinks before the next game, over keep-alive connections of its own.`;

export interface PlayersCommand {
  target: URL;
  players: number;
  arrivalRate: number;
  rampMs: number;
  durationMs: number | null;
  headers: Record<string, string>;
  metricsPort: number;
  metricsHost: string;
  seed: number | null;
}

/** Something the user typed that cannot run: printed with the usage, exit 2. */
export class PlayersUsageError extends Error {}

export function parsePlayersCommand(argv: readonly string[]): PlayersCommand {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        target: { type: 'string' },
        players: { type: 'string', default: '8' },
        'arrival-rate': { type: 'string', default: '0.5' },
        ramp: { type: 'string', default: '30s' },
        duration: { type: 'string' },
        header: { type: 'string', multiple: true, default: [] },
        'metrics-port': { type: 'string', default: String(PLAYERS_METRICS_PORT) },
        'metrics-host': { type: 'string', default: '127.0.0.1' },
        seed: { type: 'string' },
      },
    });
  } catch (error) {
    throw new PlayersUsageError((error as Error).message);
  }
  const { values } = parsed;
  return {
    target: targetOf(values.target),
    players: integer('--players', values.players, 1, 10_000),
    arrivalRate: positive('--arrival-rate', values['arrival-rate']),
    rampMs: duration('--ramp', values.ramp, true),
    durationMs: values.duration === undefined ? null : duration('--duration', values.duration, false),
    headers: Object.fromEntries(values.header.map(headerOf)),
    metricsPort: integer('--metrics-port', values['metrics-port'], 0, 65_535),
    metricsHost: values['metrics-host'],
    seed: values.seed === undefined ? null : integer('--seed', values.seed, Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER),
  };
}

function targetOf(text: string | undefined): URL {
  if (!text) throw new PlayersUsageError('--target is required: the service\'s public address, e.g. http://127.0.0.1:8081');
  const url = URL.canParse(text) ? new URL(text) : undefined;
  if (!url || !['http:', 'https:'].includes(url.protocol)) throw new PlayersUsageError(`--target must be an http(s) URL, got ${JSON.stringify(text)}`);
  return url;
}

function integer(flag: string, text: string, min: number, max: number): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max) throw new PlayersUsageError(`${flag} must be an integer from ${min} to ${max}, got ${JSON.stringify(text)}`);
  return value;
}

function positive(flag: string, text: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0 || value > 1000) throw new PlayersUsageError(`${flag} must be a number above 0 and at most 1000, got ${JSON.stringify(text)}`);
  return value;
}

function duration(flag: string, text: string, zeroAllowed: boolean): number {
  const value = ms(text as ms.StringValue) as number | undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || (!zeroAllowed && value === 0)) {
    throw new PlayersUsageError(`${flag} must be a duration such as 30s or 5m, got ${JSON.stringify(text)}`);
  }
  return value;
}

/** The cohort header is ordinary text: never credentials, never what the request itself is framed by. */
const RESERVED_HEADERS = ['host', 'authorization', 'cookie', 'content-type', 'content-length'];

function headerOf(text: string): [string, string] {
  const header = parseHeaderSetting(text);
  const name = header?.name.toLowerCase() ?? '';
  if (!header || !HTTP_HEADER_NAME.test(name) || RESERVED_HEADERS.includes(name)) {
    throw new PlayersUsageError(`--header must be NAME=VALUE with an ordinary header name, got ${JSON.stringify(text)}`);
  }
  return [name, header.value];
}

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { collectDefaultMetrics, register } from 'prom-client';
import { createApp } from '../../src/app.ts';
import { earliestSubmitMs } from '../../src/game/scoring.ts';
import { Clock } from '../../src/scores/clock.ts';
import { type AppConfig, parseConfig } from '../../src/config/config.schema.ts';
import { createLogger } from '../../src/telemetry/logger.ts';

export type LogLine = Record<string, unknown> & { level: string; msg: string };

export interface TestApp {
  app: NestFastifyApplication;
  inject: NestFastifyApplication['inject'];
  config: AppConfig;
  dir: string;
  logs: LogLine[];
  /** Moves the clock runs are measured by, instead of waiting for a run to last. */
  advanceClock(ms: number): void;
  /** POST /game-start's run token. */
  startRun(headers?: Record<string, string>): Promise<string>;
  /**
   * POST /score as the game sends it: an object body without `run` gets a fresh run, lasted (on the
   * clock) as long as its score needs; a string body or one with `run` is sent as it is.
   */
  postScore(payload: unknown, headers?: Record<string, string>): ReturnType<NestFastifyApplication['inject']>;
  close(): Promise<void>;
}

export const ADMIN_TOKEN = 'test-admin-token-0123456789';

/**
 * The production application (same `createApp`, same pipeline) on a fresh SQLite file in a temporary
 * folder, with its JSON log lines captured for assertions.
 */
export async function startTestApp(overrides: Partial<AppConfig> = {}, env: NodeJS.ProcessEnv = {}): Promise<TestApp> {
  // prom-client's default registry is process-wide and PrometheusModule fills it once per module load;
  // each test app starts from an empty registry with the default metrics, as a fresh process does.
  register.clear();
  collectDefaultMetrics();
  const dir = mkdtempSync(join(tmpdir(), 'drafty-bird-test-'));
  const config: AppConfig = {
    ...parseConfig({ RATE_LIMIT_PER_MINUTE: '0', ...env }),
    scoreDbPath: join(dir, 'data', 'db.sqlite'),
    storageRetryMs: 100,
    ...overrides,
  };
  const logs: LogLine[] = [];
  const logger = createLogger('debug', { write: (line: string) => void logs.push(JSON.parse(line) as LogLine) });
  const app = await createApp(config, logger);
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  let offset = 0;
  app.get(Clock).now = () => Date.now() + offset;
  const inject = app.inject.bind(app);
  const startRun = async (headers: Record<string, string> = json) => {
    const res = await inject({ method: 'POST', url: '/game-start', headers, payload: '{}' });
    if (res.statusCode !== 202) throw new Error(`POST /game-start answered ${res.statusCode}: ${res.body}`);
    return (res.json() as { run: { token: string } }).run.token;
  };
  return {
    app,
    inject,
    config,
    dir,
    logs,
    advanceClock: (ms) => void (offset += ms),
    startRun,
    async postScore(payload, headers = json) {
      if (isPlainObject(payload) && !('run' in payload)) {
        const run = await startRun(headers);
        offset += earliestSubmitMs(typeof payload.score === 'number' ? payload.score : 0);
        payload = { run, ...payload };
      }
      return inject({ method: 'POST', url: '/score', headers, payload: typeof payload === 'string' ? payload : JSON.stringify(payload) });
    },
    async close() {
      await app.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const json = { 'content-type': 'application/json' };

const isPlainObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

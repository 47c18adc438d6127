import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { collectDefaultMetrics, register } from 'prom-client';
import { createApp } from '../../src/app.ts';
import { type AppConfig, parseConfig } from '../../src/config/config.schema.ts';
import { createLogger } from '../../src/telemetry/logger.ts';

export type LogLine = Record<string, unknown> & { level: string; msg: string };

export interface TestApp {
  app: NestFastifyApplication;
  inject: NestFastifyApplication['inject'];
  config: AppConfig;
  dir: string;
  logs: LogLine[];
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
  return {
    app,
    inject: app.inject.bind(app),
    config,
    dir,
    logs,
    async close() {
      await app.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const json = { 'content-type': 'application/json' };

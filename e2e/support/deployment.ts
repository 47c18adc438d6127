import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OtlpReceiver } from '../../test/support/otlp-receiver.js';
import { type ServerProcess, startServer } from '../../test/support/server-process.js';
import { LocalPrometheus, PrometheusApi } from './prometheus.js';
import { JaegerTraceSource, OtlpTraceSource, type TraceSource } from './traces.js';

/** The service's process, when the suite started it: what kill, signal and file tests need. */
export interface LocalProcess {
  server: ServerProcess;
  dataDir: string;
  dbPath: string;
  /** Starts the production build again on the same data folder (same port is not required). */
  restart(extraEnv?: NodeJS.ProcessEnv): Promise<ServerProcess>;
}

export interface Deployment {
  baseUrl: string;
  adminToken?: string;
  prometheus?: PrometheusApi;
  traces?: TraceSource;
  local?: LocalProcess;
  stop(): Promise<void>;
}

export interface DeploymentOptions {
  prometheus?: boolean;
  env?: NodeJS.ProcessEnv;
}

export const isExternal = () => Boolean(process.env.BASE_URL);

/**
 * With BASE_URL: an existing deployment (docker compose, kind through port-forwards), nothing started.
 * Without: the production build on a free port with a fresh data folder, an OTLP receiver in this
 * process, and, when asked, Debian's Prometheus scraping it with the chart's alert rules.
 */
export async function deploy(options: DeploymentOptions = {}): Promise<Deployment> {
  if (isExternal()) {
    return {
      baseUrl: (process.env.BASE_URL as string).replace(/\/$/, ''),
      adminToken: process.env.CHAOS_ADMIN_TOKEN || undefined,
      prometheus: process.env.PROMETHEUS_URL ? new PrometheusApi(process.env.PROMETHEUS_URL.replace(/\/$/, '')) : undefined,
      traces: process.env.JAEGER_URL ? new JaegerTraceSource(process.env.JAEGER_URL.replace(/\/$/, '')) : undefined,
      stop: async () => undefined,
    };
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'drafty-bird-e2e-'));
  const dbPath = join(dataDir, 'db.sqlite');
  const receiver = new OtlpReceiver();
  const otlp = await receiver.start();
  const adminToken = randomBytes(24).toString('hex');
  const env: NodeJS.ProcessEnv = {
    SCORE_DB_PATH: dbPath,
    CHAOS_ADMIN_TOKEN: adminToken,
    OTEL_EXPORTER_OTLP_ENDPOINT: otlp,
    OTEL_BSP_SCHEDULE_DELAY: '200',
    // Each test file is its own client (X-Forwarded-For), so rate limits never leak between scenarios.
    TRUST_PROXY: 'true',
    RATE_LIMIT_PER_MINUTE: '120',
    SHUTDOWN_DELAY_MS: '1000',
    STORAGE_RETRY_MS: '200',
    LOG_LEVEL: 'info',
    ...options.env,
  };
  let server = await startServer(env);
  const prometheus = options.prometheus ? new LocalPrometheus() : undefined;
  const local: LocalProcess = {
    get server() {
      return server;
    },
    dataDir,
    dbPath,
    async restart(extraEnv = {}) {
      server = await startServer({ ...env, ...extraEnv });
      return server;
    },
  };
  const api = await prometheus?.start(new URL(server.url).host);
  return {
    baseUrl: server.url,
    adminToken,
    prometheus: api,
    traces: new OtlpTraceSource(receiver),
    local,
    async stop() {
      await prometheus?.stop();
      if (server.proc.exitCode === null && server.proc.signalCode === null) {
        server.proc.kill('SIGKILL');
        await server.exited;
      }
      await receiver.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** `it` for scenarios that need the process itself; elsewhere reported as skipped with the reason. */
export function localIt(name: string, fn: () => Promise<void>, timeout?: number): void {
  if (isExternal()) it.skip(`${name} [skipped: needs a local process]`, fn);
  else it(name, fn, timeout);
}

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Agent, request } from 'undici';
import { DUPLICATE_SIGNAL_MS, INTERRUPTED_EXIT_CODE } from '../src/shutdown.ts';
import { freePort, type ServerProcess, startServer } from './support/server-process.ts';

/**
 * Shutdown as browsers and load balancers meet it: their connections stay open between requests.
 * A server that only waits for sockets to close by themselves hangs until its deadline and exits 1.
 */
describe('graceful shutdown with keep-alive clients', () => {
  let dir: string;
  let server: ServerProcess;
  let publicUrl: string;
  const agents: Agent[] = [];
  /** A pool that keeps its connections open for a minute, longer than any shutdown may take. */
  const keepAliveAgent = () => {
    const agent = new Agent({ keepAliveTimeout: 60_000, keepAliveMaxTimeout: 60_000, connections: 16 });
    agents.push(agent);
    return agent;
  };

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'drafty-bird-shutdown-'));
    const publicPort = await freePort();
    server = await startServer({
      SCORE_DB_PATH: join(dir, 'db.sqlite'),
      PUBLIC_PORT: String(publicPort),
      SHUTDOWN_DELAY_MS: '500',
      // Every leaderboard request is still in flight when the server stops accepting.
      CHAOS_ENABLED: 'true',
      CHAOS_LATENCY_MS_P50: '1500',
      CHAOS_LATENCY_MS_P99: '1500',
      CHAOS_ROUTES: '/leaderboard',
      LOG_LEVEL: 'warn',
    });
    publicUrl = `http://127.0.0.1:${publicPort}`;
  });
  afterEach(async () => {
    if (server.proc.exitCode === null && server.proc.signalCode === null) server.proc.kill('SIGKILL');
    await server.exited;
    await Promise.all(agents.splice(0).map((agent) => agent.destroy()));
    rmSync(dir, { recursive: true, force: true });
  });

  it.each(['main', 'public'] as const)(
    'answers in-flight requests on the %s listener, closes every kept-alive connection and exits 0',
    async (listener) => {
      const base = listener === 'main' ? server.url : publicUrl;
      const players = keepAliveAgent();
      const operator = keepAliveAgent();
      // A browser that loaded the page and now sits idle on its connection.
      const idle = await request(`${base}/healthz`, { dispatcher: keepAliveAgent() });
      await idle.body.dump();

      const inFlight = Array.from({ length: 10 }, () =>
        request(`${base}/leaderboard`, { dispatcher: players }).then(async (res) => ({
          status: res.statusCode,
          connection: res.headers.connection,
          body: (await res.body.json()) as { leaderboard: unknown[] },
        })),
      );
      await sleep(300);
      server.proc.kill('SIGTERM');
      await sleep(200);
      const readiness = await request(`${server.url}/readyz`, { dispatcher: operator });
      expect(readiness.statusCode).toBe(503);
      expect(readiness.headers.connection).toBe('close');
      await readiness.body.dump();

      const answers = await Promise.all(inFlight);
      expect(answers.map((answer) => answer.status)).toEqual(Array(10).fill(200));
      // Answered after shutdown began: each tells its client not to reuse the connection.
      expect(answers.map((answer) => answer.connection)).toEqual(Array(10).fill('close'));
      // Exit 0 means before the 25 s deadline (which exits 1); the test's own timeout is shorter still.
      expect(await server.exited).toEqual({ code: 0, signal: null });
    },
    15_000,
  );

  it('exits at once on a second signal instead of waiting out the drain delay', async () => {
    const slow = await startServer({ SCORE_DB_PATH: join(dir, 'slow.sqlite'), SHUTDOWN_DELAY_MS: '20000', LOG_LEVEL: 'info' });
    slow.proc.kill('SIGTERM');
    await sleep(DUPLICATE_SIGNAL_MS + 300);
    slow.proc.kill('SIGINT');
    const exit = await slow.exited;
    expect(exit.code).toBe(INTERRUPTED_EXIT_CODE);
    expect(slow.logs.map((line) => line.msg)).toContain('second signal: exiting without waiting for the drain');
  }, 10_000);

  it('Ctrl-C under npm start (the terminal and npm each send SIGINT) shuts down gracefully at once', async () => {
    const local = await startServer({ SCORE_DB_PATH: join(dir, 'local.sqlite'), SHUTDOWN_DELAY_MS: '20000', LOG_LEVEL: 'info' });
    local.proc.kill('SIGINT');
    local.proc.kill('SIGINT');
    expect(await local.exited).toEqual({ code: 0, signal: null });
    const messages = local.logs.map((line) => line.msg);
    expect(messages).toContain('shutdown complete');
    expect(messages).not.toContain('second signal: exiting without waiting for the drain');
  }, 10_000);

  it('exits 0 when the trace collector is down, saying the spans it held were not exported', async () => {
    // A collector that refuses connections (redeployed, crashed) while the pod is stopped: its spans
    // are lost, but the service stopped cleanly and must say so with its exit code.
    const collector = `http://127.0.0.1:${await freePort()}`;
    const traced = await startServer({ SCORE_DB_PATH: join(dir, 'traced.sqlite'), SHUTDOWN_DELAY_MS: '0', LOG_LEVEL: 'info', OTEL_EXPORTER_OTLP_ENDPOINT: collector });
    expect((await fetch(`${traced.url}/leaderboard`)).status).toBe(200);
    traced.proc.kill('SIGTERM');
    expect(await traced.exited).toEqual({ code: 0, signal: null });
    expect(traced.stderr.join('\n')).not.toContain('ECONNREFUSED');
    const unexported = traced.logs.find((line) => line.msg === 'spans not exported at shutdown');
    // Refused connections are retried by the exporter until the shutdown's budget for it runs out.
    expect(unexported).toMatchObject({ level: 'warn', err: expect.objectContaining({ message: expect.stringMatching(/ECONNREFUSED|not done after/) }) });
    expect(traced.logs.at(-1)).toMatchObject({ msg: 'shutdown complete' });
  }, 15_000);
});

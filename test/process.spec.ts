import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { postPlayedScore, startRun } from '../e2e/support/play.ts';
import { freePort, startServer } from './support/server-process.ts';
import { startArgs } from './support/start-command.ts';
import { waitFor } from './support/wait.ts';

/**
 * Real processes: start-up errors, the public port, logs. Crash durability and the drain under load
 * are e2e/lifecycle.e2e.ts's (one owner per scenario); keep-alive shutdown is test/shutdown.spec.ts's.
 */
describe('the service as a process', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'drafty-bird-proc-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses to start on a bad variable, naming it and what it accepts', () => {
    const result = spawnSync(process.execPath, startArgs(), {
      cwd: join(__dirname, '..'),
      env: { PATH: process.env.PATH, PORT: 'eighty', CHAOS_ERROR_RATE: '2', OTEL_TRACES_SAMPLER: 'traceidraito', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9' },
      encoding: 'utf8',
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('PORT must be an integer from 0 to 65535 (got "eighty")');
    expect(result.stderr).toContain('CHAOS_ERROR_RATE');
    expect(result.stderr).toContain('OTEL_TRACES_SAMPLER must be one of always_on');
  });

  it('names the variable when a port is taken, instead of printing a stack', async () => {
    const first = await startServer({ SCORE_DB_PATH: join(dir, 'first.sqlite'), LOG_LEVEL: 'warn' });
    try {
      const port = new URL(first.url).port;
      const result = spawnSync(process.execPath, startArgs(), {
        cwd: join(__dirname, '..'),
        env: { PATH: process.env.PATH, PORT: port, HOST: '127.0.0.1', SCORE_DB_PATH: join(dir, 'second.sqlite'), LOG_LEVEL: 'warn' },
        encoding: 'utf8',
        timeout: 20_000,
      });
      expect(result.status).toBe(1);
      expect(result.stderr).toContain(`cannot listen on 127.0.0.1:${port} (EADDRINUSE): the port is already in use; set PORT to another port`);
      expect(result.stderr).not.toMatch(/^\s+at /m);
    } finally {
      first.proc.kill('SIGKILL');
      await first.exited;
    }
  });

  /**
   * The image's command, traced as deployed, through a game start, a score and the leaderboard to its
   * exit, with `preload` run before it (`--import`): the lines of its stderr. The writer
   * thread runs a preload too, so a report belongs on the main thread (`isMainThread`).
   */
  async function stderrOfPlayedProcess(preload: string[]): Promise<string[]> {
    const report = join(dir, 'preload.mjs');
    writeFileSync(report, ["import { isMainThread } from 'node:worker_threads';", ...preload].join('\n'));
    const server = await startServer({ SCORE_DB_PATH: join(dir, 'db.sqlite'), SHUTDOWN_DELAY_MS: '0', LOG_LEVEL: 'warn', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9', NODE_OPTIONS: `--import=${report}` });
    try {
      expect((await postPlayedScore(server.url, { score: 1 })).status).toBe(201);
      expect((await fetch(`${server.url}/leaderboard`)).status).toBe(200);
    } finally {
      server.proc.kill('SIGTERM');
      await server.exited;
    }
    return server.stderr;
  }

  it("never loads Node's fetch client (undici): it cost every start-up ~25 ms for a client the service does not use", async () => {
    // Node's http module exposes WebSocket through a getter that loads undici: an ES import of http
    // used to read it (scripts/bundle.ts).
    const stderr = await stderrOfPlayedProcess([
      "if (isMainThread) process.on('exit', () => process.stderr.write(`loaded: ${JSON.stringify(process.moduleLoadList.filter((m) => /undici/.test(m)))}\\n`));",
    ]);
    expect(stderr).toContain('loaded: []');
  });

  it("builds no Intl date formatter: Nest's unused loggers built two at load, ICU's locale data cost ~6.6 MiB and ~25 ms per start", async () => {
    const stderr = await stderrOfPlayedProcess([
      'let built = 0;',
      'Intl.DateTimeFormat = new Proxy(Intl.DateTimeFormat, { construct: (target, args) => { built += 1; return Reflect.construct(target, args); } });',
      "if (isMainThread) process.on('exit', () => process.stderr.write(`Intl.DateTimeFormat built: ${built}\\n`));",
    ]);
    expect(stderr).toContain('Intl.DateTimeFormat built: 0');
  });

  it('exposes only the game and the player API on PUBLIC_PORT', async () => {
    const publicPort = await freePort();
    const server = await startServer({ SCORE_DB_PATH: join(dir, 'db.sqlite'), PUBLIC_PORT: String(publicPort), SHUTDOWN_DELAY_MS: '0', LOG_LEVEL: 'warn' });
    const outside = `http://127.0.0.1:${publicPort}`;
    try {
      expect((await fetch(`${outside}/`)).status).toBe(200);
      expect((await postPlayedScore(outside, { player: 'Outsider', score: 1 })).status).toBe(201);
      expect((await fetch(`${outside}/leaderboard`)).status).toBe(200);
      expect((await fetch(`${outside}/healthz`)).status).toBe(200);
      for (const path of ['/metrics', '/chaos', '/readyz', '/assets/../metrics', '/nope']) {
        const res = await fetch(`${outside}${path}`);
        expect({ path, status: res.status }).toEqual({ path, status: 404 });
        expect(await res.json()).toEqual({ error: 'not found', request_id: res.headers.get('x-request-id') });
      }
      // The same application behind both ports: the public write is counted and visible inside.
      const metrics = await (await fetch(`${server.url}/metrics`)).text();
      expect(metrics).toContain('http_requests_total{route="/score",method="POST",status="201"} 1');
    } finally {
      server.proc.kill('SIGTERM');
      expect((await server.exited).code).toBe(0);
    }
  });

  it('writes JSON log lines with level, time, msg and request_id on stdout', async () => {
    const server = await startServer({ SCORE_DB_PATH: join(dir, 'db.sqlite'), LOG_LEVEL: 'info', SHUTDOWN_DELAY_MS: '0' });
    try {
      await postPlayedScore(server.url, { score: 0 }, { run: await startRun(server.url), headers: { 'x-request-id': 'log-check-1' } });
      await fetch(`${server.url}/healthz`);
      await waitFor('the access log line', () => server.logs.some((line) => line.request_id === 'log-check-1'));
      const line = server.logs.find((entry) => entry.request_id === 'log-check-1')!;
      expect(line).toMatchObject({ level: 'info', msg: 'request completed', status: 201, route: '/score' });
      expect(new Date(String(line.time)).toISOString()).toBe(line.time);
      // Probes log at debug, so an info-level service does not print them.
      expect(server.logs.some((entry) => entry.route === '/healthz')).toBe(false);
    } finally {
      server.proc.kill('SIGTERM');
      await server.exited;
    }
  });

  it('prints its spans to stdout with OTEL_TRACES_EXPORTER=console (no collector needed), players\' requests included', async () => {
    const server = await startServer({ SCORE_DB_PATH: join(dir, 'db.sqlite'), OTEL_TRACES_EXPORTER: 'console', PUBLIC_PORT: String(await freePort()), SHUTDOWN_DELAY_MS: '0' });
    try {
      await fetch(`${server.publicUrl}/leaderboard`, { headers: { 'x-request-id': 'console-span-1' } }).then((res) => res.arrayBuffer());
      // The console exporter prints each finished span as an object literal, many lines each.
      const printed = () => server.stderr.filter((line) => line.startsWith('non-JSON stdout: ')).join('\n');
      await waitFor('the request span on stdout', () => printed().includes("'request.id': 'console-span-1'"), 10_000);
      expect(printed()).toMatch(/name: 'leaderboard\.query'/);
    } finally {
      server.proc.kill('SIGTERM');
      await server.exited;
    }
  });

  it('a restart during a time-boxed experiment comes back with the configured baseline, not the experiment', async () => {
    const token = 'a-chaos-admin-token-for-the-restart-test';
    const env = { SCORE_DB_PATH: join(dir, 'db.sqlite'), CHAOS_ADMIN_TOKEN: token, SHUTDOWN_DELAY_MS: '0' };
    const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const first = await startServer(env);
    const put = await fetch(`${first.url}/chaos`, { method: 'PUT', headers: auth, body: JSON.stringify({ enabled: true, errorRate: 1, routes: ['/leaderboard'], durationSeconds: 3600 }) });
    expect((await put.json()).expiresAt).not.toBeNull();
    expect((await fetch(`${first.url}/leaderboard`)).status).toBe(503);
    first.proc.kill('SIGTERM');
    await first.exited;
    const second = await startServer(env);
    try {
      expect(await (await fetch(`${second.url}/chaos`, { headers: auth })).json()).toMatchObject({ enabled: false, expiresAt: null });
      expect((await fetch(`${second.url}/leaderboard`)).status).toBe(200);
    } finally {
      second.proc.kill('SIGTERM');
      await second.exited;
    }
  });
});

import { describeWithTool } from './support/required-tool.ts';
import { postgresServer, type PrivateServer, startPrivatePostgres } from './support/postgres.ts';
import { startTestApp, type TestApp } from './support/test-app.ts';
import { waitFor } from './support/wait.ts';

type Board = { leaderboard: Array<{ player: string; score: number }> };

/**
 * The PostgreSQL engine in-process (the production application through `createApp`), against a
 * private real server: what a replica answers, what two replicas on one database agree on, and what
 * each does while the database is stopped and after it returns.
 */
describeWithTool('PostgreSQL mode', postgresServer(), () => {
  let server: PrivateServer;
  const apps: TestApp[] = [];
  const replica = async (env: NodeJS.ProcessEnv = {}) => {
    const app = await startTestApp({}, { DATABASE_URL: server.appUrl, DATABASE_STATEMENT_TIMEOUT_MS: '1000', DATABASE_CONNECT_TIMEOUT_MS: '1000', ...env });
    apps.push(app);
    return app;
  };
  const sql = (text: string) => server.query(text);
  const board = async (app: TestApp) => (await app.inject({ method: 'GET', url: '/leaderboard?limit=100' })).json() as Board;

  beforeAll(async () => {
    server = await startPrivatePostgres();
  }, 120_000);
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((app) => app.close()));
    await sql('TRUNCATE scores; TRUNCATE run_keys').catch(() => undefined);
  });
  afterAll(() => server?.destroy());

  it('reports postgres as its storage and stores, answers and replays scores', async () => {
    const app = await replica();
    const ready = await app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.json()).toEqual({ status: 'ready', storage: 'postgres' });
    const run = await app.startRun();
    app.advanceClock(60_000);
    const first = await app.postScore({ run, player: 'Ada', score: 7 });
    expect(first.statusCode).toBe(201);
    expect(first.json()).toMatchObject({ stored: { player: 'Ada', score: 7 }, highScore: 7 });
    const again = await app.postScore({ run, player: 'Ada', score: 7 });
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json()).toEqual(first.json());
    expect((await app.postScore({ run, player: 'Ada', score: 8 })).statusCode).toBe(409);
    expect((await board(app)).leaderboard).toEqual([expect.objectContaining({ player: 'Ada', score: 7 })]);
    expect(await sql('SELECT player, score, high_score FROM scores')).toEqual([{ player: 'Ada', score: 7, high_score: 7 }]);
  });

  it('one batch of concurrent scores: one row each, the same run twice stored once', async () => {
    const app = await replica();
    const run = await app.startRun();
    app.advanceClock(60_000);
    const answers = await Promise.all([
      ...Array.from({ length: 20 }, (_, i) => app.postScore({ player: `p${i}`, score: i })),
      app.postScore({ run, player: 'twice', score: 3 }),
      app.postScore({ run, player: 'twice', score: 3 }),
    ]);
    expect(answers.map((res) => res.statusCode)).toEqual(Array(22).fill(201));
    expect(answers.filter((res) => res.headers['idempotent-replayed'] === 'true')).toHaveLength(1);
    expect(await sql('SELECT count(*)::int AS n FROM scores')).toEqual([{ n: 21 }]);
  });

  it('two replicas: a score acknowledged by one is on the other\'s leaderboard, and highScore is the maximum across both', async () => {
    const [a, b] = [await replica(), await replica()];
    a.advanceClock(0);
    const high = await a.postScore({ player: 'OnA', score: 40 });
    expect(high.json()).toMatchObject({ highScore: 40 });
    const low = await b.postScore({ player: 'OnB', score: 5 });
    // B never saw 40 through its own writes: its answer comes from the database, as of its commit.
    expect(low.json()).toMatchObject({ highScore: 40 });
    await waitFor("A's score on B's leaderboard", async () => (await board(b)).leaderboard[0]?.player === 'OnA', 2000, 10);
    await waitFor("B's score on A's leaderboard", async () => (await board(a)).leaderboard.some((s) => s.player === 'OnB'), 2000, 10);
    expect((await board(a)).leaderboard).toEqual((await board(b)).leaderboard);
  });

  it('runs started on one replica score on the other (the signing keys are shared through the database)', async () => {
    const [a, b] = [await replica(), await replica()];
    const run = await a.startRun();
    b.advanceClock(60_000);
    expect((await b.postScore({ run, player: 'Roamer', score: 2 })).statusCode).toBe(201);
  });

  it('database stopped: readiness 503 with the reason, scores and leaderboard 503, recovery without a restart', async () => {
    const app = await replica();
    expect((await app.postScore({ player: 'Before', score: 3 })).statusCode).toBe(201);
    server.stop();
    try {
      await waitFor('readiness to turn 503', async () => (await app.inject({ method: 'GET', url: '/readyz' })).statusCode === 503, 5000);
      const ready = await app.inject({ method: 'GET', url: '/readyz' });
      expect(ready.json()).toEqual({ status: 'not_ready', reason: expect.stringMatching(/^storage: /) });
      const score = await app.postScore('{"run":"x.y.z","player":"During","score":0}');
      expect([403, 503]).toContain(score.statusCode);
      const write = await app.inject({ method: 'GET', url: '/leaderboard' });
      expect(write.statusCode).toBe(503);
      expect(write.json()).toMatchObject({ error: 'score storage is unavailable; try again shortly' });
    } finally {
      server.start();
    }
    await waitFor('readiness to recover', async () => (await app.inject({ method: 'GET', url: '/readyz' })).statusCode === 200, 10_000);
    expect((await app.postScore({ player: 'After', score: 4 })).statusCode).toBe(201);
    expect((await board(app)).leaderboard.map((s) => s.player)).toEqual(['After', 'Before']);
  }, 60_000);

  it('a wrong password: not ready with the reason, and the password is in no answer and no log line', async () => {
    const url = new URL(server.appUrl);
    url.password = 'hunter2-wrong-password';
    const wrong = await replica({ DATABASE_URL: url.toString() });
    const ready = await wrong.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(503);
    expect(ready.json()).toEqual({ status: 'not_ready', reason: expect.stringContaining('password authentication failed for user "app"') });
    const right = await replica();
    const everything = JSON.stringify([ready.json(), wrong.logs, right.logs]);
    expect(everything).not.toContain('hunter2');
    expect(everything).not.toContain(server.appPassword);
  });

  it('TLS: verify-full connects with the right CA and host name, and refuses another CA or a host the certificate does not name', async () => {
    const { caFile, otherCaFile } = await server.enableTls();
    const at = (host: string) => {
      const url = new URL(server.appUrl);
      url.hostname = host;
      return url.toString();
    };
    const verified = await replica({ DATABASE_URL: at('localhost'), DATABASE_SSL_MODE: 'verify-full', DATABASE_SSL_CA_FILE: caFile });
    expect((await verified.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
    const [encrypted] = await sql("SELECT bool_and(s.ssl) AS ssl FROM pg_stat_ssl s JOIN pg_stat_activity a USING (pid) WHERE a.application_name = 'drafty-bird'");
    expect(encrypted).toEqual({ ssl: true });
    const otherCa = await replica({ DATABASE_URL: at('localhost'), DATABASE_SSL_MODE: 'verify-full', DATABASE_SSL_CA_FILE: otherCaFile });
    expect((await otherCa.inject({ method: 'GET', url: '/readyz' })).json()).toEqual({ status: 'not_ready', reason: expect.stringMatching(/certificate/i) });
    const wrongHost = await replica({ DATABASE_URL: at('127.0.0.1'), DATABASE_SSL_MODE: 'verify-full', DATABASE_SSL_CA_FILE: caFile });
    expect((await wrongHost.inject({ method: 'GET', url: '/readyz' })).json()).toEqual({ status: 'not_ready', reason: expect.stringMatching(/altnames|host/i) });
    const required = await replica({ DATABASE_URL: at('127.0.0.1'), DATABASE_SSL_MODE: 'require' });
    expect((await required.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
  }, 60_000);
});

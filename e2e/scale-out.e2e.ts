import { setTimeout as sleep } from 'node:timers/promises';
import { POSTGRES_MIGRATIONS } from '../src/scores/postgres-migrations/index.ts';
import type { ServerProcess } from '../test/support/server-process.ts';
import { writeUntilKilled } from '../test/support/load.ts';
import { waitFor } from '../test/support/wait.ts';
import { Client } from './support/client.ts';
import { type Deployment, deploy, describeLocal, endpointsOf } from './support/deployment.ts';
import type { HeldRun } from './support/play.ts';
import { startRuns } from './support/play.ts';

type Entry = { player: string; score: number };


/**
 * PostgreSQL mode as the local-ha manifests run it (the Deployment's own environment, several
 * replicas on one private PostgreSQL server): what replicas agree on, and what no crash of a replica
 * or of the database loses. Players reach each replica on its public port with keep-alive clients.
 */
describeLocal()('scale-out on PostgreSQL', () => {
  let d: Deployment;
  beforeAll(async () => {
    d = await deploy({ engine: 'postgres', env: { RATE_LIMIT_PER_MINUTE: '0' } });
  }, 120_000);
  afterAll(() => d?.stop());
  // A replica that died on its own is a finding: say how, with its last words.
  afterEach(() => {
    const server = d.local!.server;
    if (server.proc.exitCode !== null || server.proc.signalCode !== null) {
      throw new Error(`the deployment's replica exited (${server.proc.exitCode ?? server.proc.signalCode}):\n${server.stderr.slice(-20).join('\n')}\n${JSON.stringify(server.logs.slice(-5))}`);
    }
  });

  const storedScores = async () => new Map((await d.local!.postgres!.query('SELECT player, score FROM scores')).map((row) => [row.player as string, row.score as number]));
  const readyz = (server: ServerProcess) => fetch(`${server.url}/readyz`).then(async (res) => ({ status: res.status, body: (await res.json()) as { reason?: string } }));
  const runsFor = (client: Client, count: number) => startRuns(() => client.startRun(), count, 16);

  it('three replicas starting together on an empty database migrate it once and all become ready', async () => {
    const url = await d.local!.postgres!.createDatabase('fresh');
    const replicas = await Promise.all([0, 1, 2].map(() => d.local!.startReplica({ DATABASE_URL: url })));
    for (const replica of replicas) {
      await waitFor('every replica ready', async () => (await readyz(replica)).status === 200, 10_000);
      expect(await readyz(replica)).toEqual({ status: 200, body: { status: 'ready', storage: 'postgres' } });
    }
    // Ready at the first attempt: no replica failed to open (a migration race would show here, with its reason).
    expect(replicas.flatMap((replica) => replica.logs.filter((line) => line.level === 'error' || line.level === 'fatal'))).toEqual([]);
    const migrations = (await d.local!.postgres!.query('SELECT name FROM migrations ORDER BY id', [], 'fresh')).map((row) => row.name);
    expect(migrations).toEqual(POSTGRES_MIGRATIONS.map((migration) => migration.name));
    for (const replica of replicas) replica.proc.kill('SIGKILL');
  }, 60_000);

  it('two replicas: a score acknowledged by one is on the other\'s leaderboard, and highScore is the maximum across both', async () => {
    const a = new Client(d.local!.endpoints);
    const b = new Client(endpointsOf(await d.local!.startReplica()));
    const top = ((await a.json<{ leaderboard: Entry[] }>('/leaderboard')).leaderboard[0]?.score ?? 0) + 1;
    // A score above every stored one, with a run old enough for it (started on the other replica).
    const run = await b.startRun();
    const high = await a.postScore({ player: 'Replica A', score: Math.min(top, 2) }, { run });
    expect(high.status).toBe(201);
    const highScore = ((await high.json()) as { highScore: number }).highScore;
    const low = await b.postScore({ player: 'Replica B', score: 0 });
    expect(((await low.json()) as { highScore: number }).highScore).toBe(highScore);
    await waitFor("A's score on B's leaderboard", async () => (await b.json<{ leaderboard: Entry[] }>('/leaderboard?limit=100')).leaderboard.some((e) => e.player === 'Replica A'), 2000, 10);
    expect(await b.json('/leaderboard?limit=100')).toEqual(await a.json('/leaderboard?limit=100'));
  }, 60_000);

  it('SIGKILL of a replica under write load loses no acknowledged score, and the other replica keeps serving', async () => {
    const victim = await d.local!.startReplica();
    const survivor = new Client(d.local!.endpoints);
    const client = new Client(endpointsOf(victim));
    const runs: HeldRun[] = await runsFor(client, 1500);
    const acknowledged = await writeUntilKilled((body) => client.post('/score', { run: runs.pop()!.token, ...body }), {
      round: 100,
      maxScore: 0,
      writers: 12,
      killAfterMs: 700,
      kill: async () => {
        victim.proc.kill('SIGKILL');
        await victim.exited;
      },
    });
    expect(acknowledged.size).toBeGreaterThan(50);
    const stored = await storedScores();
    expect([...acknowledged].filter(([player, score]) => stored.get(player) !== score)).toEqual([]);
    expect((await survivor.postScore({ player: 'after the crash', score: 0 })).status).toBe(201);
  }, 60_000);

  it('PostgreSQL stopped and restarted under load: 503 with the reason while down, recovery without a restart, no acknowledged score lost', async () => {
    const server = d.local!.server;
    const client = new Client(endpointsOf(server));
    const runs = await runsFor(client, 3000);
    const acknowledged = new Map<string, number>();
    const statuses = new Map<number, number>();
    let stop = false;
    const writer = async (w: number) => {
      for (let i = 0; !stop && runs.length > 0; i++) {
        const player = `pg-restart-${w}-${i}`;
        const res = await client.post('/score', { run: runs.pop()!.token, player, score: 0 }).catch(() => undefined);
        statuses.set(res?.status ?? 0, (statuses.get(res?.status ?? 0) ?? 0) + 1);
        if (res?.status === 201) acknowledged.set(player, 0);
        await res?.arrayBuffer();
        if (res?.status !== 201) await sleep(20);
      }
    };
    const writers = Array.from({ length: 8 }, (_, w) => writer(w));
    await sleep(300);
    d.local!.postgres!.stop();
    await waitFor('readiness 503 while the database is down', async () => (await readyz(server)).status === 503, 10_000);
    expect((await readyz(server)).body.reason).toMatch(/^storage: /);
    const leaderboard = await fetch(`${server.publicUrl}/leaderboard`);
    expect(leaderboard.status).toBe(503);
    expect(await leaderboard.json()).toMatchObject({ error: 'score storage is unavailable; try again shortly' });
    await sleep(500);
    d.local!.postgres!.start();
    await waitFor('readiness to recover', async () => (await readyz(server)).status === 200, 20_000);
    await sleep(300);
    stop = true;
    await Promise.all(writers);
    expect(statuses.get(503)).toBeGreaterThan(0);
    expect(statuses.get(500)).toBeUndefined();
    expect(acknowledged.size).toBeGreaterThan(20);
    const stored = await storedScores();
    expect([...acknowledged].filter(([player, score]) => stored.get(player) !== score)).toEqual([]);
  }, 90_000);

  it('PostgreSQL paused (a hung host): requests answer 503 within the statement timeout instead of hanging, and it recovers', async () => {
    const server = d.local!.server;
    const client = new Client(endpointsOf(server));
    const [run] = await runsFor(client, 1);
    const timeoutMs = Number(process.env.DATABASE_STATEMENT_TIMEOUT_MS ?? 5000);
    d.local!.postgres!.pause();
    try {
      const sent = Date.now();
      const res = await client.post('/score', { run: run!.token, player: 'during the pause', score: 0 });
      const tookMs = Date.now() - sent;
      expect(res.status).toBe(503);
      // Bounded by the statement timeout plus the client's margin, never by the pause.
      expect(tookMs).toBeLessThan(timeoutMs * 2);
      await waitFor('readiness 503 during the pause', async () => (await readyz(server)).status === 503, timeoutMs * 3);
    } finally {
      d.local!.postgres!.resume();
    }
    await waitFor('readiness to recover after the pause', async () => (await readyz(server)).status === 200, 30_000);
    expect((await client.post('/score', { run: run!.token, player: 'during the pause', score: 0 })).status).toBe(201);
  }, 90_000);
});

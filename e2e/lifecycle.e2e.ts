import { mkdirSync, renameSync, rmSync } from 'node:fs';
import Database from 'better-sqlite3';
import { writeThroughSigterm, writeUntilKilled } from '../test/support/load.ts';
import { SHUTDOWN_DEADLINE_MS } from '../src/surface.ts';
import { waitFor } from '../test/support/wait.ts';
import { Client } from './support/client.ts';
import { deploy, type Deployment, localIt } from './support/deployment.ts';
import { lastLongEnough, startRuns } from './support/play.ts';

type Entry = { player: string; score: number; createdAt: string };

/** Scenarios 4, 5 and 7: crashes, signals and storage faults, which need the process and its files. */
describe('lifecycle', () => {
  let d: Deployment;
  beforeAll(async () => {
    // No rate limit here: the point is sustained write load.
    d = await deploy({ env: { RATE_LIMIT_PER_MINUTE: '0' } });
  });
  afterAll(() => d.stop());

  localIt(
    'durability: 10 rounds of concurrent writes killed with SIGKILL lose no acknowledged score',
    async () => {
      const local = d.local!;
      const acknowledged = new Map<string, number>();
      // Runs for every write of every round, old enough for scores up to MAX_SCORE: they outlive the
      // restarts, like the keys that signed them.
      const MAX_SCORE = 3;
      const runs = await startRuns(() => new Client(local.endpoints).startRun(), 4000, 16);
      await lastLongEnough(runs.at(-1)!, MAX_SCORE);
      for (let round = 0; round < 10; round++) {
        const client = new Client(local.endpoints);
        const post = (body: { player?: string; score: number }) => {
          const run = runs.pop();
          return run ? client.post('/score', { run: run.token, ...body }) : client.postScore(body);
        };
        const acked = await writeUntilKilled(post, {
          round,
          maxScore: MAX_SCORE,
          writers: 12,
          killAfterMs: 150 + Math.random() * 600,
          kill: async () => {
            local.server.proc.kill('SIGKILL');
            await local.server.exited;
          },
        });
        for (const [player, score] of acked) acknowledged.set(player, score);
        await local.restart();
      }
      expect(acknowledged.size).toBeGreaterThan(200);

      const db = new Database(local.dbPath, { readonly: true });
      const rows = db.prepare('SELECT player, score, created_at AS createdAt FROM scores ORDER BY score DESC, created_at ASC, id ASC').all() as Entry[];
      db.close();
      const stored = new Map(rows.map((row) => [row.player, row.score]));
      const missing = [...acknowledged].filter(([player, score]) => stored.get(player) !== score);
      expect(missing).toEqual([]);

      // The restarted service's leaderboard is the top of what is stored, and holds every acknowledged
      // score that ranks above its last entry.
      const board = ((await (await fetch(`${local.endpoints.publicUrl}/leaderboard?limit=100`)).json()) as { leaderboard: Entry[] }).leaderboard;
      expect(board).toEqual(rows.slice(0, 100));
      const cutoff = board[board.length - 1]!.score;
      const shown = new Set(board.map((e) => e.player));
      for (const [player, score] of acknowledged) if (score > cutoff) expect(shown.has(player)).toBe(true);
    },
    120_000,
  );

  localIt(
    'graceful shutdown: SIGTERM under load → /readyz 503 first, no accepted request fails, exit 0',
    async () => {
      const server = d.local!.server;
      const client = new Client({ publicUrl: server.publicUrl as string, adminUrl: server.url });
      let readiness: unknown;
      const outcome = await writeThroughSigterm((body) => client.postScore(body), server, {
        loaders: 16,
        warmupMs: 500,
        // The signal is delivered asynchronously: readiness must turn within moments, while still serving.
        whileDraining: async () => {
          await waitFor('/readyz to turn 503 while still serving', async () => {
            const res = await fetch(`${server.url}/readyz`);
            readiness = await res.json();
            return res.status === 503;
          }, 2000);
          expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
        },
      });
      expect(readiness).toEqual({ status: 'not_ready', reason: 'shutting down' });
      expect(outcome.exitCode).toBe(0);
      expect(outcome.drainMs).toBeLessThan(SHUTDOWN_DEADLINE_MS);
      expect(outcome.completed).toBeGreaterThan(50);
      expect(outcome.failuresBeforeSignal).toEqual([]);
      expect(server.logs.map((line) => line.msg)).toEqual(expect.arrayContaining(['shutdown requested: not ready, draining', 'shutdown complete']));
      await d.local!.restart();
    },
    60_000,
  );

  localIt(
    'storage fault: the database path replaced by a directory → 503 with the reason, then self-recovery',
    async () => {
      const local = d.local!;
      const client = new Client(local.endpoints);
      const afterwards = await client.startRun();
      expect((await client.postScore({ player: 'before-fault', score: 0 })).status).toBe(201);
      const moved = `${local.dataDir}-moved`;
      renameSync(local.dataDir, moved);
      mkdirSync(local.dbPath, { recursive: true });
      try {
        await waitFor('readiness to report the fault', async () => (await client.request('/readyz')).status === 503, 10_000);
        const readyz = (await (await client.request('/readyz')).json()) as { status: string; reason: string };
        expect(readyz).toEqual({ status: 'not_ready', reason: expect.stringMatching(/^storage: /) });
        expect((await client.post('/score', { run: afterwards.token, score: 0 })).status).toBe(503);
        expect((await client.request('/leaderboard')).status).toBe(503);
        expect((await client.request('/healthz')).status).toBe(200);
      } finally {
        rmSync(local.dataDir, { recursive: true, force: true });
        renameSync(moved, local.dataDir);
      }
      await waitFor('the service to recover by itself', async () => (await client.request('/readyz')).status === 200, 15_000);
      // The run refused during the fault was never spent: it scores now.
      expect((await client.postScore({ player: 'after-fault', score: 0 }, { run: afterwards })).status).toBe(201);
      const db = new Database(local.dbPath, { readonly: true });
      const players = db.prepare(`SELECT player FROM scores WHERE player LIKE '%-fault'`).pluck().all();
      db.close();
      expect(players.sort()).toEqual(['after-fault', 'before-fault']);
    },
    60_000,
  );
});

import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { json, startTestApp, type TestApp } from './support/test-app.ts';
import { waitFor } from './support/wait.ts';

const score = (t: TestApp, value: number) =>
  t.postScore({ player: 'p', score: value });
const ready = async (t: TestApp) => (await t.inject({ method: 'GET', url: '/readyz' })).statusCode === 200;

describe('SQLite storage', () => {
  let scratch: string;
  beforeEach(() => {
    scratch = mkdtempSync(join(tmpdir(), 'drafty-bird-storage-'));
  });
  afterEach(() => rmSync(scratch, { recursive: true, force: true }));

  it('creates the missing data directory, migrates, and serves the leaderboard from its index', async () => {
    const path = join(scratch, 'nested', 'deeper', 'db.sqlite');
    const t = await startTestApp({ scoreDbPath: path });
    try {
      expect(await ready(t)).toBe(true);
      expect((await score(t, 3)).statusCode).toBe(201);
    } finally {
      await t.close();
    }
    const db = new Database(path, { readonly: true });
    try {
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      const plan = db
        .prepare('EXPLAIN QUERY PLAN SELECT * FROM scores ORDER BY score DESC, created_at ASC, id ASC LIMIT 100')
        .all()
        .map((row) => (row as { detail: string }).detail)
        .join('\n');
      expect(plan).toContain('idx_scores_leaderboard');
      expect(plan).not.toContain('TEMP B-TREE');
    } finally {
      db.close();
    }
  });

  it('reads the leaderboard and high score back from the file after a restart', async () => {
    const path = join(scratch, 'db.sqlite');
    let t = await startTestApp({ scoreDbPath: path });
    for (const value of [5, 50, 20]) await score(t, value);
    await t.app.close();
    t = await startTestApp({ scoreDbPath: path });
    try {
      const board = (await t.inject({ method: 'GET', url: '/leaderboard' })).json().leaderboard;
      expect(board.map((r: { score: number }) => r.score)).toEqual([50, 20, 5]);
      expect((await t.inject({ method: 'GET', url: '/metrics' })).body).toMatch(/^drafty_bird_high_score 50$/m);
    } finally {
      await t.close();
    }
  });

  it('reports a path it cannot open, answers 503 instead of losing scores, and recovers by itself', async () => {
    const path = join(scratch, 'db.sqlite');
    mkdirSync(path); // a directory where the database file should be
    const t = await startTestApp({ scoreDbPath: path });
    try {
      const readyz = await t.inject({ method: 'GET', url: '/readyz' });
      expect(readyz.statusCode).toBe(503);
      expect(readyz.json()).toEqual({ status: 'not_ready', reason: expect.stringContaining('storage') });
      expect((await t.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
      // No run can be signed (the keys are in the database), and a score is never taken on trust.
      const start = await t.inject({ method: 'POST', url: '/game-start', headers: json, payload: '{}' });
      expect(start.statusCode).toBe(503);
      const write = await t.postScore({ run: 'eyJhbGciOiJIUzI1NiIsImtpZCI6IngifQ.e30.sig', score: 0 });
      expect(write.statusCode).toBe(503);
      expect(write.json()).toEqual({ error: expect.stringContaining('unavailable'), request_id: expect.any(String) });
      expect((await t.inject({ method: 'GET', url: '/leaderboard' })).statusCode).toBe(503);
      expect(t.logs.some((line) => line.level === 'error' && line.path === path && typeof line.reason === 'string')).toBe(true);

      rmSync(path, { recursive: true });
      await waitFor('storage to recover', () => ready(t));
      expect((await score(t, 9)).statusCode).toBe(201);
    } finally {
      await t.close();
    }
  });

  it('notices the database replaced while running and recovers when it is put back', async () => {
    const dataDir = join(scratch, 'data');
    const path = join(dataDir, 'db.sqlite');
    const t = await startTestApp({ scoreDbPath: path });
    try {
      expect((await score(t, 11)).statusCode).toBe(201);
      renameSync(dataDir, join(scratch, 'moved'));
      mkdirSync(path, { recursive: true });

      const write = await score(t, 12);
      expect(write.statusCode).toBe(503);
      const readyz = await t.inject({ method: 'GET', url: '/readyz' });
      expect(readyz.statusCode).toBe(503);
      expect(readyz.json().reason).toMatch(/storage: /);

      rmSync(dataDir, { recursive: true });
      renameSync(join(scratch, 'moved'), dataDir);
      await waitFor('storage to recover', () => ready(t));
      expect((await score(t, 13)).statusCode).toBe(201);
      const board = (await t.inject({ method: 'GET', url: '/leaderboard' })).json().leaderboard;
      expect(board.map((r: { score: number }) => r.score)).toEqual([13, 11]);
    } finally {
      await t.close();
    }
  });

  it('refuses a corrupt file with the reason, then recovers once it is replaced', async () => {
    const path = join(scratch, 'db.sqlite');
    writeFileSync(path, 'this is not a database, just text that happens to be long enough '.repeat(100));
    const t = await startTestApp({ scoreDbPath: path });
    try {
      const readyz = await t.inject({ method: 'GET', url: '/readyz' });
      expect(readyz.statusCode).toBe(503);
      expect(readyz.json().reason).toMatch(/not a database|SQLITE_NOTADB/i);
      rmSync(path);
      await waitFor('storage to recover', () => ready(t));
    } finally {
      await t.close();
    }
  });

  it('reports a data directory that cannot be created', async () => {
    writeFileSync(join(scratch, 'file'), 'x');
    const t = await startTestApp({ scoreDbPath: join(scratch, 'file', 'db.sqlite') });
    try {
      const readyz = await t.inject({ method: 'GET', url: '/readyz' });
      expect(readyz.statusCode).toBe(503);
      expect(readyz.json().reason).toMatch(/ENOTDIR|EEXIST/);
    } finally {
      await t.close();
    }
  });
});

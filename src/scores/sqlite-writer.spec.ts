import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { MIGRATIONS } from './migrations/index.ts';
import { runMigrations } from './run-migrations.ts';
import { SqliteWriter } from './sqlite-writer.ts';

/** The writer thread on a database migrated as the service migrates it. */
describe('SqliteWriter (the writer thread)', () => {
  let dir: string;
  let path: string;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'drafty-bird-writer-'));
    path = join(dir, 'db.sqlite');
    await runMigrations({ type: 'better-sqlite3', database: path, migrations: MIGRATIONS, migrationsTransactionMode: 'each', enableWAL: true });
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const score = (runId: string, value: number) => ({ runId, player: 'Ada', score: value, createdAt: '2026-12-03T10:00:00.000Z' });

  it('a resolved batch is committed: another connection reads it; a run that already scored gets its existing row', async () => {
    const writer = await SqliteWriter.open({ path, busyTimeoutMs: 1000 });
    try {
      const first = await writer.insertBatch([score('run-a', 3), score('run-b', 7)]);
      expect(first.map((outcome) => [outcome.kind, outcome.record.score, outcome.highScore])).toEqual([['stored', 3, 3], ['stored', 7, 7]]);
      const reader = new BetterSqlite3(path, { readonly: true });
      expect(reader.prepare('SELECT run_id AS runId, score FROM scores ORDER BY id').all()).toEqual([{ runId: 'run-a', score: 3 }, { runId: 'run-b', score: 7 }]);
      reader.close();
      const again = await writer.insertBatch([score('run-a', 9)]);
      expect(again[0]).toMatchObject({ kind: 'existing', record: { score: 3 }, highScore: 3 });
    } finally {
      writer.close();
    }
  });

  it("a batch SQLite refuses fails with SQLite's code and stores nothing of it", async () => {
    const writer = await SqliteWriter.open({ path, busyTimeoutMs: 1000 });
    try {
      await expect(writer.insertBatch([score('run-c', 1), { ...score('run-d', 2), player: null as unknown as string }])).rejects.toMatchObject({ code: 'SQLITE_CONSTRAINT_NOTNULL' });
      const reader = new BetterSqlite3(path, { readonly: true });
      expect(reader.prepare('SELECT count(*) AS n FROM scores').get()).toEqual({ n: 0 });
      reader.close();
      // The thread lives on: the next batch commits.
      await expect(writer.insertBatch([score('run-e', 1)])).resolves.toHaveLength(1);
    } finally {
      writer.close();
    }
  });

  it('a database that cannot be opened is refused at start with the reason; after close, batches fail instead of waiting', async () => {
    await expect(SqliteWriter.open({ path: join(dir, 'missing', 'db.sqlite'), busyTimeoutMs: 1000 })).rejects.toThrow(/does not exist/);
    const writer = await SqliteWriter.open({ path, busyTimeoutMs: 1000 });
    writer.close();
    await expect(writer.insertBatch([score('run-f', 1)])).rejects.toThrow(/closed/);
  });

  it('holds the process open only while a batch waits for its commit: a script that never closes it still exits', () => {
    const script = `
      import { SqliteWriter } from ${JSON.stringify(join(__dirname, 'sqlite-writer.ts'))};
      const writer = await SqliteWriter.open({ path: ${JSON.stringify(path)}, busyTimeoutMs: 1000 });
      const [outcome] = await writer.insertBatch([{ runId: 'run-g', player: 'Ada', score: 4, createdAt: '2026-12-03T10:00:00.000Z' }]);
      console.log(outcome.kind);`;
    const file = join(dir, 'no-close.mjs');
    writeFileSync(file, script);
    const child = spawnSync(process.execPath, [file], { encoding: 'utf8', timeout: 20_000 });
    expect(child.stderr).not.toMatch(/Error/);
    expect(child.stdout.trim()).toBe('stored');
    expect(child.status).toBe(0);
  });
});

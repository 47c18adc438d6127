import type { Database } from 'better-sqlite3';
import type { InsertOutcome, NewScore } from './score-store.ts';
import type { ScoreRecord } from './score.record.ts';

type StoredRow = ScoreRecord & { highScore: number | null };

/**
 * How every connection the service writes through is set up — the writer thread's and the main one
 * (probes, run keys): WAL, so readers run beside the writer; FULL, so a commit is fsynced to the WAL
 * before it returns and an acknowledged score survives power loss, not only a crash of the process.
 * Group commit keeps this to one fsync per batch.
 */
export function makeDurable(db: Database): Database {
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  return db;
}

/**
 * SQLite's half of `ScoreStore.insertBatch` on one connection: prepares the statements once and
 * returns the function that inserts a batch in one transaction, one outcome per row in order. Runs in
 * the writer thread (sqlite-writer.worker.ts). Plain, erasable TypeScript: the worker may be started
 * from the sources under Node's type stripping (tests) as well as from dist/.
 */
export function batchInserter(db: Database): (rows: readonly NewScore[]) => InsertOutcome[] {
  const insert = db.prepare<[string, number, string, string, number], { id: number }>(
    'INSERT INTO scores (player, score, created_at, run_id, high_score) VALUES (?, ?, ?, ?, ?) ON CONFLICT (run_id) DO NOTHING RETURNING id',
  );
  const byRun = db.prepare<[string], StoredRow>('SELECT id, player, score, created_at AS createdAt, high_score AS highScore FROM scores WHERE run_id = ?');
  // The first row of the leaderboard index: no scan.
  const highest = db.prepare<[], { score: number }>('SELECT score FROM scores ORDER BY score DESC LIMIT 1');
  return db.transaction((rows: readonly NewScore[]) => {
    let highScore = highest.get()?.score ?? 0;
    return rows.map((row): InsertOutcome => {
      const inserted = insert.get(row.player, row.score, row.createdAt, row.runId, Math.max(highScore, row.score));
      if (!inserted) {
        const { highScore: answered, ...record } = byRun.get(row.runId) as StoredRow;
        return { kind: 'existing', record, highScore: answered ?? record.score };
      }
      highScore = Math.max(highScore, row.score);
      return { kind: 'stored', record: { id: inserted.id, player: row.player, score: row.score, createdAt: row.createdAt }, highScore };
    });
  });
}

import type { Database, Statement } from 'better-sqlite3';
import type { InsertOutcome, NewScore, RunKey, ScoreStore } from './score-store.ts';
import type { ScoreRecord } from './score.record.ts';
import type { SqliteWriter } from './sqlite-writer.ts';

/**
 * The SQLite engine: batches of scores are committed by the writer thread on its own connection
 * (`SqliteWriter`), everything else runs on this one, whose statements are prepared once and answer
 * within the call. The sync methods below the boundary are SQLite's own health checks, used by
 * ScoresDatabase.
 */
export class SqliteScoreStore implements ScoreStore {
  private readonly best: Statement<[number], ScoreRecord>;
  private readonly keys: Statement<[], { id: string; secret: Buffer; createdAt: string }>;
  private readonly addKey: Statement<[string, Buffer, string]>;
  private readonly retireKeys: Statement<[string]>;
  private readonly select1: Statement;
  private readonly probe: Statement<[string]>;

  constructor(
    private readonly db: Database,
    private readonly writer: SqliteWriter,
  ) {
    this.keys = db.prepare('SELECT id, secret, created_at AS createdAt FROM run_keys ORDER BY created_at DESC, id DESC');
    this.addKey = db.prepare('INSERT INTO run_keys (id, secret, created_at) VALUES (?, ?, ?)');
    this.retireKeys = db.prepare('DELETE FROM run_keys WHERE created_at < ?');
    this.best = db.prepare<[number], ScoreRecord>(
      'SELECT id, player, score, created_at AS createdAt FROM scores ORDER BY score DESC, created_at ASC, id ASC LIMIT ?',
    );
    this.select1 = db.prepare('SELECT 1');
    this.probe = db.prepare(
      'INSERT INTO storage_probe (id, written_at) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET written_at = excluded.written_at',
    );
  }

  /** Resolves once the writer thread's commit (and its fsync) returned. */
  insertBatch(rows: readonly NewScore[]): Promise<InsertOutcome[]> {
    return this.writer.insertBatch(rows);
  }

  async top(limit: number): Promise<ScoreRecord[]> {
    return this.best.all(limit);
  }

  /** A trivial query: the connection answers. */
  ping(): void {
    this.select1.get();
  }

  /** Takes the write lock and gives it back: the file and its volume are writable (needs no space). */
  checkWritable(): void {
    this.db.exec('BEGIN IMMEDIATE; ROLLBACK');
  }

  /** Commits one row: a write can succeed now, which a full disk refuses. */
  probeWrite(at: string): void {
    this.probe.run(at);
  }

  /** Copies every committed page from the WAL into the database file. */
  checkpoint(): void {
    this.db.pragma('wal_checkpoint(TRUNCATE)');
  }

  async runKeys(): Promise<RunKey[]> {
    return this.keys.all().map(({ id, secret, createdAt }) => ({ id, secret: new Uint8Array(secret), createdAt }));
  }

  async rotateRunKeys(key: RunKey, retireBefore: string): Promise<void> {
    this.db.transaction(() => {
      this.addKey.run(key.id, Buffer.from(key.secret), key.createdAt);
      this.retireKeys.run(retireBefore);
    })();
  }
}

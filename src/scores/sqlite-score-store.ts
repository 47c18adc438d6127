import type { Database, Statement } from 'better-sqlite3';
import type { ScoreRecord } from './score.record.ts';

/** A score to store; `createdAt` is ISO-8601 UTC with milliseconds, so text order is time order. */
export interface NewScore {
  player: string;
  score: number;
  createdAt: string;
}

/**
 * The storage boundary: every statement the service runs at run time (the schema is the migrations').
 * The SQLite engine implements it today; a second engine implements the same interface.
 */
export interface ScoreStore {
  /** Inserts the batch in one transaction; every row is durable when this returns. */
  insertBatch(rows: readonly NewScore[]): ScoreRecord[];
  /** The best `limit` scores in leaderboard order, read from the leaderboard index. */
  top(limit: number): ScoreRecord[];
  /** A trivial query: the connection answers. */
  ping(): void;
  /** Takes the write lock and gives it back: the file and its volume are writable (needs no space). */
  checkWritable(): void;
  /** Commits one row: a write can succeed now, which a full disk refuses. */
  probeWrite(at: string): void;
  /** Copies every committed page from the WAL into the database file. */
  checkpoint(): void;
}

/** The SQLite engine over one better-sqlite3 connection; its statements are prepared once. */
export class SqliteScoreStore implements ScoreStore {
  private readonly insert: Statement<[string, number, string]>;
  private readonly best: Statement<[number], ScoreRecord>;
  private readonly select1: Statement;
  private readonly probe: Statement<[string]>;

  constructor(private readonly db: Database) {
    this.insert = db.prepare('INSERT INTO scores (player, score, created_at) VALUES (?, ?, ?)');
    this.best = db.prepare<[number], ScoreRecord>(
      'SELECT id, player, score, created_at AS createdAt FROM scores ORDER BY score DESC, created_at ASC, id ASC LIMIT ?',
    );
    this.select1 = db.prepare('SELECT 1');
    this.probe = db.prepare(
      'INSERT INTO storage_probe (id, written_at) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET written_at = excluded.written_at',
    );
  }

  insertBatch(rows: readonly NewScore[]): ScoreRecord[] {
    return this.db.transaction(() =>
      rows.map((row): ScoreRecord => {
        const { lastInsertRowid } = this.insert.run(row.player, row.score, row.createdAt);
        return { id: Number(lastInsertRowid), player: row.player, score: row.score, createdAt: row.createdAt };
      }),
    )();
  }

  top(limit: number): ScoreRecord[] {
    return this.best.all(limit);
  }

  ping(): void {
    this.select1.get();
  }

  checkWritable(): void {
    this.db.exec('BEGIN IMMEDIATE; ROLLBACK');
  }

  probeWrite(at: string): void {
    this.probe.run(at);
  }

  checkpoint(): void {
    this.db.pragma('wal_checkpoint(TRUNCATE)');
  }
}

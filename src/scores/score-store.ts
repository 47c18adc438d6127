import type { ScoreRecord } from './score.record.ts';

/** A score to store; `createdAt` is ISO-8601 UTC with milliseconds, so text order is time order. */
export interface NewScore {
  /** The run it was earned in: a run scores once. */
  runId: string;
  player: string;
  score: number;
  createdAt: string;
}

/**
 * What inserting one score did: `stored` it with the all-time high score as of that commit, or found
 * the run's `existing` score (a retry or a conflict: the caller compares) with the high score it got.
 */
export type InsertOutcome =
  | { kind: 'stored'; record: ScoreRecord; highScore: number }
  | { kind: 'existing'; record: ScoreRecord; highScore: number };

/** A key runs are signed with; kept in the database so every replica and restart shares it. */
export interface RunKey {
  id: string;
  secret: Uint8Array;
  /** ISO-8601 UTC. */
  createdAt: string;
}

/**
 * The storage boundary: every statement the service runs at run time (the schema is the migrations').
 * Asynchronous, so an engine reached over the network (PostgreSQL) implements the same interface as
 * SQLite, whose synchronous driver answers within the call.
 */
export interface ScoreStore {
  /**
   * Inserts the batch in one transaction, one outcome per row in order; every row is durable when this
   * returns. A row whose run already has a score is not inserted (that score is its outcome).
   */
  insertBatch(rows: readonly NewScore[]): Promise<InsertOutcome[]>;
  /** The best `limit` scores in leaderboard order, read from the leaderboard index. */
  top(limit: number): Promise<ScoreRecord[]>;
  /** Every run-signing key, newest first. */
  runKeys(): Promise<RunKey[]>;
  /** Adds `key` and deletes the keys created before `retireBefore` (ISO-8601), in one transaction. */
  rotateRunKeys(key: RunKey, retireBefore: string): Promise<void>;
}

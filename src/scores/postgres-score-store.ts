import type { Pool, PoolClient } from 'pg';
import { LOCK, SCORES_CHANNEL } from './postgres-connection.ts';
import type { ScoreRecord } from './score.record.ts';
import type { InsertOutcome, NewScore, RunKey, ScoreStore } from './score-store.ts';

interface ScoreRow {
  id: string;
  player: string;
  score: number;
  created_at: Date;
}

/** What another replica's notification says: who committed, and the best score it committed. */
export interface ScoresNotice {
  from: string;
  max: number;
}

const toRecord = (row: ScoreRow): ScoreRecord => ({
  id: Number(row.id),
  player: row.player,
  score: row.score,
  createdAt: row.created_at.toISOString(),
});

/**
 * The PostgreSQL engine over a connection pool. A batch is one transaction of four round trips: begin
 * and take the cross-replica write lock; read the current best score and the batch's runs that already
 * scored; one multi-row insert that also notifies the other replicas; commit. Holding the lock makes
 * each answer's high score the maximum of every replica's scores as of its commit.
 */
export class PostgresScoreStore implements ScoreStore {
  constructor(
    private readonly pool: Pool,
    /** This process, so it can ignore its own notifications. */
    private readonly instanceId: string,
  ) {}

  async insertBatch(rows: readonly NewScore[]): Promise<InsertOutcome[]> {
    return this.transaction(async (client) => {
      // One statement for both reads; the LEFT JOIN keeps a row (carrying `best`) when no run scored yet.
      const found = await client.query<ScoreRow & { run_id: string | null; high_score: number | null; best: number | null }>(
        `SELECT s.id, s.player, s.score, s.created_at, s.run_id, s.high_score,
                (SELECT score FROM scores ORDER BY score DESC LIMIT 1) AS best
           FROM (VALUES (1)) AS one LEFT JOIN scores s ON s.run_id = ANY($1::text[])`,
        [rows.map((row) => row.runId)],
      );
      let highScore = found.rows[0]?.best ?? 0;
      const existing = new Map<string, InsertOutcome>();
      for (const row of found.rows) {
        if (row.run_id !== null) existing.set(row.run_id, { kind: 'existing', record: toRecord(row), highScore: row.high_score ?? row.score });
      }
      // A run twice in one batch: the first is stored, the second finds it (as SQLite's row-by-row insert does).
      const seen = new Set(existing.keys());
      const fresh: Array<{ row: NewScore; highScore: number }> = [];
      const repeated = rows.map((row) => {
        if (seen.has(row.runId)) return true;
        seen.add(row.runId);
        highScore = Math.max(highScore, row.score);
        fresh.push({ row, highScore });
        return false;
      });
      const ids = await this.insertAndNotify(client, fresh);
      fresh.forEach(({ row, highScore: high }, index) => {
        const record = { id: ids[index] as number, player: row.player, score: row.score, createdAt: row.createdAt };
        existing.set(row.runId, { kind: 'stored', record, highScore: high });
      });
      return rows.map((row, index): InsertOutcome => {
        const outcome = existing.get(row.runId) as InsertOutcome;
        return repeated[index] ? { ...outcome, kind: 'existing' } : outcome;
      });
    });
  }

  async top(limit: number): Promise<ScoreRecord[]> {
    const result = await this.pool.query<ScoreRow>(
      'SELECT id, player, score, created_at FROM scores ORDER BY score DESC, created_at ASC, id ASC LIMIT $1',
      [limit],
    );
    return result.rows.map(toRecord);
  }

  async runKeys(): Promise<RunKey[]> {
    const result = await this.pool.query<{ id: string; secret: Buffer; created_at: Date }>(
      'SELECT id, secret, created_at FROM run_keys ORDER BY created_at DESC, id DESC',
    );
    return result.rows.map((row) => ({ id: row.id, secret: new Uint8Array(row.secret), createdAt: row.created_at.toISOString() }));
  }

  async rotateRunKeys(key: RunKey, retireBefore: string): Promise<void> {
    await this.transaction(async (client) => {
      await client.query('INSERT INTO run_keys (id, secret, created_at) VALUES ($1, $2, $3)', [key.id, Buffer.from(key.secret), key.createdAt]);
      await client.query('DELETE FROM run_keys WHERE created_at < $1', [retireBefore]);
    }, false);
  }

  /** The server answers and accepts writes (a replica promoted away or a read-only standby does not). */
  async checkWritable(): Promise<void> {
    const result = await this.pool.query<{ read_only: string }>("SELECT current_setting('transaction_read_only') AS read_only");
    if (result.rows[0]?.read_only !== 'off') throw new Error('the database is read-only (a standby, or in recovery)');
  }

  /**
   * Inserts the rows in one statement and, in the same transaction, tells the other replicas: the
   * notification is delivered only if the commit succeeds. Ids come back in input order (WITH ORDINALITY).
   */
  private async insertAndNotify(client: PoolClient, fresh: ReadonlyArray<{ row: NewScore; highScore: number }>): Promise<number[]> {
    if (fresh.length === 0) return [];
    const notice: ScoresNotice = { from: this.instanceId, max: Math.max(...fresh.map(({ row }) => row.score)) };
    const column = <T>(pick: (entry: { row: NewScore; highScore: number }) => T) => fresh.map(pick);
    const result = await client.query<{ id: string }>(
      `WITH input AS (
         SELECT * FROM unnest($1::text[], $2::int[], $3::timestamptz[], $4::text[], $5::int[])
           WITH ORDINALITY AS t(player, score, created_at, run_id, high_score, position)
       ), inserted AS (
         INSERT INTO scores (player, score, created_at, run_id, high_score)
         SELECT player, score, created_at, run_id, high_score FROM input ORDER BY position
         RETURNING id, run_id
       ), notified AS (SELECT pg_notify($6, $7))
       SELECT inserted.id FROM input JOIN inserted USING (run_id), notified ORDER BY input.position`,
      [
        column((e) => e.row.player),
        column((e) => e.row.score),
        column((e) => e.row.createdAt),
        column((e) => e.row.runId),
        column((e) => e.highScore),
        SCORES_CHANNEL,
        JSON.stringify(notice),
      ],
    );
    if (result.rows.length !== fresh.length) throw new Error(`inserted ${result.rows.length} of ${fresh.length} scores`);
    return result.rows.map((row) => Number(row.id));
  }

  /**
   * Runs `work` in a transaction on one pooled connection; with `lockScores`, first takes the
   * transaction-scoped write lock (released by COMMIT or ROLLBACK, or by the server if we vanish).
   * A connection that failed is destroyed, not returned to the pool: a failed request costs one statement timeout at most.
   */
  private async transaction<T>(work: (client: PoolClient) => Promise<T>, lockScores = true): Promise<T> {
    const client = await this.pool.connect();
    // The pool stops listening to a client it lends out: an error between two statements (a reset
    // connection) would otherwise be an unhandled 'error' event, which ends the process.
    let broken: Error | undefined;
    const onError = (error: Error) => void (broken ??= error);
    client.on('error', onError);
    try {
      await client.query(lockScores ? `BEGIN; SELECT pg_advisory_xact_lock(${LOCK.scoreWrites})` : 'BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      client.removeListener('error', onError);
      client.release(broken);
      return result;
    } catch (error) {
      // No ROLLBACK round trip: on a hung server it would wait out another timeout. Closing the
      // connection makes the server roll the transaction back (and release the lock) by itself.
      client.removeListener('error', onError);
      client.release(true);
      throw error;
    }
  }
}

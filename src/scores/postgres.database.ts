import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import pg from 'pg';
import type { Logger } from 'pino';
import { APP_CONFIG } from '../config/config.module.ts';
import type { AppConfig } from '../config/config.schema.ts';
import { describeDatabase, type PostgresConfig } from '../config/database.config.ts';
import { LOGGER } from '../telemetry/telemetry.module.ts';
import { clientConfig, LOCK, SCORES_CHANNEL } from './postgres-connection.ts';
import { POSTGRES_MIGRATIONS } from './postgres-migrations/index.ts';
import { MIGRATIONS_TABLE, pendingMigrations, runMigrations } from './run-migrations.ts';
import { PostgresScoreStore, type ScoresNotice } from './postgres-score-store.ts';
import type { ScoreStore } from './score-store.ts';
import { type RemoteScores, ScoresDatabase, type StorageStatus } from './scores.database.ts';
import { StorageUnavailableError } from './storage-unavailable.error.ts';

/** How long a replica waits for the others' migrations at start-up before it reports the wait as its failure. */
const MIGRATION_LOCK_WAIT_MS = 60_000;
/** How long shutdown waits for the connections to close politely. */
const DISCONNECT_WAIT_MS = 2000;

interface Connected {
  pool: pg.Pool;
  store: PostgresScoreStore;
  /** The connection that LISTENs for the other replicas' commits; reopened (and everything reloaded) when it drops. */
  listener: pg.Client;
}

/**
 * The PostgreSQL engine (scale-out: every replica writes). Migrates once under a session advisory lock
 * — replicas starting together take turns, the first migrates, the others find nothing to do — then
 * keeps a pool for work and one connection that LISTENs for the other replicas' commits. Any failure
 * (refused, stopped, paused past the statement timeout, read-only) makes the storage unavailable: 503
 * with the reason, no in-memory fallback; a timer reconnects, and every loader runs again after the
 * change feed is back, so nothing committed meanwhile is missed.
 */
@Injectable()
export class PostgresDatabase extends ScoresDatabase implements OnModuleInit, OnApplicationShutdown {
  readonly engine = 'postgres';
  /** Names this process in its notifications, so it ignores its own. */
  readonly instanceId = randomUUID();
  protected readonly location: Record<string, string>;
  private readonly settings: PostgresConfig;
  private connected?: Connected;
  private migrated = false;
  private connecting?: Promise<void>;
  private readonly remoteListeners: Array<(change: RemoteScores) => void> = [];

  constructor(@Inject(APP_CONFIG) config: AppConfig, @Inject(LOGGER) logger: Logger) {
    super(config, logger);
    if (!config.postgres) throw new Error('PostgresDatabase needs DATABASE_URL');
    this.settings = config.postgres;
    this.location = { database: describeDatabase(this.settings) };
  }

  protected get store(): ScoreStore | undefined {
    return this.connected?.store;
  }

  override onRemoteScores(listener: (change: RemoteScores) => void): void {
    this.remoteListeners.push(listener);
  }

  /** A round trip through the pool that also proves the server accepts writes. */
  async check(): Promise<StorageStatus> {
    const connected = this.connected;
    if (!connected) return { ready: false, reason: this.failure };
    try {
      await connected.store.checkWritable();
      return { ready: true };
    } catch (error) {
      this.fail(error, connected);
      return { ready: false, reason: this.failure };
    }
  }

  async use<T>(work: (store: ScoreStore) => Promise<T>): Promise<T> {
    const connected = this.connected;
    if (!connected) throw new StorageUnavailableError(this.failure);
    try {
      return await work(connected.store);
    } catch (error) {
      this.fail(error, connected);
      throw new StorageUnavailableError(this.failure);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopWatching();
    await this.connecting;
    const connected = this.connected;
    this.connected = undefined;
    // A paused server never answers the goodbye: shutdown does not wait for it past a moment.
    if (connected) await Promise.race([this.disconnect(connected), sleep(DISCONNECT_WAIT_MS)]);
  }

  /** A healthy database: the pool and the change feed both answer (a silently dead feed is found here). */
  protected async watch(): Promise<void> {
    const connected = this.connected;
    if (!connected) return;
    try {
      await connected.listener.query('SELECT 1');
    } catch (error) {
      this.fail(error, connected);
      return;
    }
    await this.check();
  }

  protected connect(): Promise<void> {
    this.connecting ??= this.open().finally(() => (this.connecting = undefined));
    return this.connecting;
  }

  private async open(): Promise<void> {
    let pool: pg.Pool | undefined;
    let listener: pg.Client | undefined;
    try {
      if (!this.migrated) await this.migrate();
      this.migrated = true;
      pool = new pg.Pool({ ...clientConfig(this.settings), max: this.settings.poolSize });
      const store = new PostgresScoreStore(pool, this.instanceId);
      listener = new pg.Client(clientConfig(this.settings));
      const connected: Connected = { pool, store, listener };
      // Idle pooled connections and the listener report a dropped server here; unhandled, it would crash the process.
      pool.on('error', (error) => this.fail(error, connected));
      listener.on('error', (error) => this.fail(error, connected));
      listener.on('end', () => this.fail(new Error('the change feed connection closed'), connected));
      listener.on('notification', (message) => this.dispatch(message.payload));
      await listener.connect();
      await listener.query(`LISTEN ${SCORES_CHANNEL}`);
      await store.checkWritable();
      // After LISTEN: whatever another replica commits from now on is announced, so loading now misses nothing.
      await this.runLoaders(store);
      if (this.closed) throw new Error('shutting down');
      this.connected = connected;
    } catch (error) {
      await listener?.end().catch(() => undefined);
      await pool?.end().catch(() => undefined);
      this.recordFailure(error, 'cannot open the score database', false);
      return;
    }
    this.logger.info(this.location, 'score database open and migrated');
  }

  /**
   * TypeORM runs the migrations on a connection of its own. It takes no lock, so this takes a session
   * advisory lock first, on another connection, and waits (bounded) while another replica migrates.
   */
  private async migrate(): Promise<void> {
    const lock = new pg.Client(clientConfig(this.settings, { statementTimeoutMs: MIGRATION_LOCK_WAIT_MS }));
    lock.on('error', () => undefined);
    await lock.connect();
    try {
      await lock.query('SELECT pg_advisory_lock($1)', [LOCK.migrations]);
      if (pendingMigrations(POSTGRES_MIGRATIONS, await appliedMigrations(lock)).length === 0) return;
      await runMigrations({
        type: 'postgres',
        extra: clientConfig(this.settings, { statementTimeoutMs: MIGRATION_LOCK_WAIT_MS }),
        migrations: POSTGRES_MIGRATIONS,
        migrationsTransactionMode: 'all',
      });
    } finally {
      // Ending the session releases the lock even if the unlock cannot be sent.
      await lock.end().catch(() => undefined);
    }
  }

  private dispatch(payload: string | undefined): void {
    let notice: ScoresNotice;
    try {
      notice = JSON.parse(payload ?? '') as ScoresNotice;
    } catch {
      return;
    }
    if (notice.from === this.instanceId || typeof notice.max !== 'number') return;
    for (const listener of this.remoteListeners) listener({ maxScore: notice.max });
  }

  /** Marks the storage failed and drops the connections (the timer reconnects); ignores an already replaced connection. */
  private fail(error: unknown, connected: Connected): void {
    if (this.connected !== connected) return;
    this.connected = undefined;
    this.recordFailure(error, 'score database failed', true);
    void this.disconnect(connected);
  }

  private async disconnect({ pool, listener }: Connected): Promise<void> {
    listener.removeAllListeners('end');
    await Promise.allSettled([listener.end(), pool.end()]);
  }

  /** The error as a readiness reason: its code and message, and never the password, whatever the driver wrote. */
  protected override describe(error: unknown): string {
    const text = super.describe(error);
    const password = this.settings.password;
    return password && password.length >= 4 ? text.split(password).join('***') : text;
  }
}

/** The migration names TypeORM recorded; none before its table exists. */
async function appliedMigrations(client: pg.Client): Promise<string[]> {
  const table = await client.query<{ found: string | null }>('SELECT to_regclass($1) AS found', [MIGRATIONS_TABLE]);
  if (!table.rows[0]?.found) return [];
  return (await client.query<{ name: string }>(`SELECT name FROM "${MIGRATIONS_TABLE}"`)).rows.map((row) => row.name);
}

import { mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { Database, Statement } from 'better-sqlite3';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import type { BetterSqlite3Driver } from 'typeorm/driver/better-sqlite3/BetterSqlite3Driver.js';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.schema.js';
import { LOGGER } from '../telemetry/telemetry.module.js';
import { MIGRATIONS } from './migrations/index.js';
import { ScoreEntity } from './score.entity.js';
import { StorageUnavailableError } from './storage-unavailable.error.js';

type ReadyListener = (dataSource: DataSource) => void | Promise<void>;

export type StorageStatus = { ready: true } | { ready: false; reason: string };

interface OpenDatabase {
  dataSource: DataSource;
  db: Database;
  /** The file we opened; if the path later names another file (or none), we are writing to a ghost. */
  identity: { dev: number; ino: number };
  ping: Statement;
}

/** How long SQLite waits for a lock before answering SQLITE_BUSY. */
const BUSY_TIMEOUT_MS = 5000;

/**
 * Owns the SQLite database: opens and migrates it, watches that it stays usable, and when it is not
 * (cannot be created, read-only, replaced, corrupt, disk full) reports why and keeps retrying in the
 * background so a late or repaired volume recovers without a restart. There is deliberately no
 * in-memory fallback: a service that reports ready while losing scores is worse than one that is down.
 */
@Injectable()
export class ScoresDatabase implements OnModuleInit, OnApplicationShutdown {
  readonly path: string;
  private open?: OpenDatabase;
  private failure = 'database not opened yet';
  private timer?: NodeJS.Timeout;
  private closed = false;
  private readonly readyListeners: ReadyListener[] = [];

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.path = resolve(config.scoreDbPath);
  }

  async onModuleInit(): Promise<void> {
    await this.connect();
    // One timer both watches a healthy database and retries a failed one.
    this.timer = setInterval(() => void this.tick(), this.config.storageRetryMs);
    this.timer.unref();
  }

  /**
   * Runs `listener` now if the database is open, and again after every (re)open, before the database
   * is reported ready, so whatever it loads is in place when traffic arrives.
   */
  async onReady(listener: ReadyListener): Promise<void> {
    this.readyListeners.push(listener);
    if (this.open) await listener(this.open.dataSource);
  }

  /** Cheap gate for reads served from memory: the watcher and the writes detect failures. */
  assertAvailable(): void {
    if (!this.open) throw new StorageUnavailableError(this.failure);
  }

  /** Readiness: open, still the same file, writable and answering a query. */
  check(): StorageStatus {
    if (!this.open) return { ready: false, reason: this.failure };
    try {
      this.verify(this.open);
      return { ready: true };
    } catch (error) {
      this.fail(error);
      return { ready: false, reason: this.failure };
    }
  }

  /** Runs `work` on the open database; any failure marks the storage unavailable and is a 503. */
  use<T>(work: (db: Database) => T, options: { verify?: boolean } = {}): T {
    const open = this.open;
    if (!open) throw new StorageUnavailableError(this.failure);
    try {
      if (options.verify) this.verifyIdentity(open);
      return work(open.db);
    } catch (error) {
      this.fail(error);
      throw new StorageUnavailableError(this.failure);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    this.closed = true;
    clearInterval(this.timer);
    await this.close();
  }

  private async tick(): Promise<void> {
    if (this.closed) return;
    if (this.open) this.check();
    else await this.connect();
  }

  private async connect(): Promise<void> {
    let dataSource: DataSource | undefined;
    try {
      mkdirSync(dirname(this.path), { recursive: true });
      dataSource = new DataSource({
        type: 'better-sqlite3',
        database: this.path,
        entities: [ScoreEntity],
        migrations: MIGRATIONS,
        migrationsTransactionMode: 'each',
        enableWAL: true,
        timeout: BUSY_TIMEOUT_MS,
        // FULL: a commit is fsynced to the WAL before it returns, so an acknowledged score survives
        // power loss, not only a crash of the process. Group commit keeps this to one fsync per batch.
        prepareDatabase: (db: Database) => void db.pragma('synchronous = FULL'),
        logging: false,
      });
      await dataSource.initialize();
      await dataSource.runMigrations();
      const db = (dataSource.driver as BetterSqlite3Driver).databaseConnection as Database;
      if (db.readonly) throw new Error(`${this.path} is read-only`);
      const stat = statSync(this.path);
      const open: OpenDatabase = { dataSource, db, identity: { dev: stat.dev, ino: stat.ino }, ping: db.prepare('SELECT 1') };
      this.verify(open);
      for (const listener of this.readyListeners) await listener(dataSource);
      this.open = open;
    } catch (error) {
      await dataSource?.destroy().catch(() => undefined);
      this.recordFailure(error, 'cannot open the score database');
      return;
    }
    this.logger.info({ path: this.path }, 'score database open and migrated');
  }

  private verify(open: OpenDatabase): void {
    this.verifyIdentity(open);
    open.ping.get();
    // Takes the write lock and gives it back: fails on a read-only file, directory or volume.
    open.db.exec('BEGIN IMMEDIATE; ROLLBACK');
  }

  private verifyIdentity(open: OpenDatabase): void {
    let stat;
    try {
      stat = statSync(this.path);
    } catch (error) {
      throw new Error(`${this.path} disappeared: ${(error as Error).message}`, { cause: error });
    }
    if (!stat.isFile()) throw new Error(`${this.path} is no longer a regular file`);
    if (stat.ino !== open.identity.ino || stat.dev !== open.identity.dev) {
      throw new Error(`${this.path} was replaced by another file`);
    }
  }

  private fail(error: unknown): void {
    if (!this.open) return;
    this.recordFailure(error, 'score database failed');
    void this.close();
  }

  private recordFailure(error: unknown, what: string): void {
    const reason = describe(error);
    // Log each distinct failure once; the retry loop would otherwise repeat it every few seconds.
    if (reason !== this.failure || this.open) {
      this.logger.error({ path: this.path, reason, retry_ms: this.config.storageRetryMs }, what);
    }
    this.failure = reason;
  }

  private async close(): Promise<void> {
    const open = this.open;
    this.open = undefined;
    await open?.dataSource.destroy().catch(() => undefined);
  }
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && !error.message.includes(code) ? `${code}: ${error.message}` : error.message;
}

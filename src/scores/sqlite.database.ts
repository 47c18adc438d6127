import { existsSync, mkdirSync, type Stats, statfsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import BetterSqlite3, { type Database } from 'better-sqlite3';
import type { Logger } from 'pino';
import { APP_CONFIG } from '../config/config.module.ts';
import type { AppConfig } from '../config/config.schema.ts';
import { LOGGER } from '../telemetry/telemetry.module.ts';
import { MIGRATIONS } from './migrations/index.ts';
import { MIGRATIONS_TABLE, pendingMigrations, runMigrations } from './run-migrations.ts';
import type { ScoreStore } from './score-store.ts';
import { ScoresDatabase, type StorageStatus } from './scores.database.ts';
import { makeDurable } from './sqlite-batch.ts';
import { SqliteScoreStore } from './sqlite-score-store.ts';
import { SqliteWriter } from './sqlite-writer.ts';
import { StorageUnavailableError } from './storage-unavailable.error.ts';

type FileIdentity = { dev: number; ino: number };

interface OpenDatabase {
  db: Database;
  /** The writer thread, with a connection of its own: commits batches of scores off the event loop. */
  writer: SqliteWriter;
  store: SqliteScoreStore;
  /**
   * Every file SQLite writes through — the database, its WAL and its shared-memory index — as opened.
   * If a path later names another file (or none), writes go to a ghost: an unlinked inode that a crash
   * or restart throws away with everything committed in it.
   */
  identities: Map<string, FileIdentity>;
}

/** A file of the open database was removed or replaced: the connection writes to a ghost. */
class GhostFileError extends Error {
  constructor(readonly file: string, what: string) {
    super(`${file} ${what}`);
  }
}

/**
 * Below this much free space on the database's filesystem the service is not ready: a one-page probe
 * can still commit into reused WAL frames while the next batch of scores fails with SQLITE_FULL.
 */
const MIN_FREE_BYTES = 256 * 1024;

/** How long SQLite waits for a lock before answering SQLITE_BUSY. */
const BUSY_TIMEOUT_MS = 5000;

/**
 * The SQLite engine (the default, one writer): opens and migrates the file, watches that it stays
 * usable, and when it is not (cannot be created, read-only, replaced, corrupt, disk full) reports why
 * and keeps retrying in the background so a late or repaired volume recovers without a restart.
 */
@Injectable()
export class SqliteDatabase extends ScoresDatabase implements OnModuleInit, OnApplicationShutdown {
  readonly engine = 'sqlite';
  readonly path: string;
  protected readonly location: Record<string, string>;
  private open?: OpenDatabase;

  constructor(@Inject(APP_CONFIG) config: AppConfig, @Inject(LOGGER) logger: Logger) {
    super(config, logger);
    this.path = resolve(config.scoreDbPath);
    this.location = { path: this.path };
  }

  protected get store(): ScoreStore | undefined {
    return this.open?.store;
  }

  /** Open, still the same file, writable and answering a query. */
  async check(): Promise<StorageStatus> {
    if (!this.open) return { ready: false, reason: this.failure };
    try {
      this.verify(this.open);
      return { ready: true };
    } catch (error) {
      this.fail(error);
      return { ready: false, reason: this.failure };
    }
  }

  /**
   * With `verify` (writes), the files are checked before and after: a commit that landed in a removed
   * WAL is acknowledged only if rescuing it into the database file succeeded.
   */
  async use<T>(work: (store: ScoreStore) => Promise<T>, options: { verify?: boolean } = {}): Promise<T> {
    const open = this.open;
    if (!open) throw new StorageUnavailableError(this.failure);
    let result: T;
    try {
      if (options.verify) this.verifyIdentity(open);
      result = await work(open.store);
    } catch (error) {
      this.fail(error);
      throw new StorageUnavailableError(this.failure);
    }
    if (options.verify) {
      try {
        this.verifyIdentity(open);
      } catch (error) {
        if (!this.fail(error)) throw new StorageUnavailableError(this.failure);
      }
    }
    return result;
  }

  onApplicationShutdown(): void {
    this.stopWatching();
    this.close();
  }

  protected async watch(): Promise<void> {
    await this.check();
  }

  protected async connect(): Promise<void> {
    let db: Database | undefined;
    let writer: SqliteWriter | undefined;
    try {
      mkdirSync(dirname(this.path), { recursive: true });
      await this.migrate();
      db = new BetterSqlite3(this.path, { timeout: BUSY_TIMEOUT_MS });
      if (db.readonly) throw new Error(`${this.path} is read-only`);
      makeDurable(db);
      writer = await SqliteWriter.open({ path: this.path, busyTimeoutMs: BUSY_TIMEOUT_MS });
      const open: OpenDatabase = { db, writer, store: new SqliteScoreStore(db, writer), identities: new Map() };
      for (const file of this.files()) {
        const stat = statOrUndefined(file);
        if (stat) open.identities.set(file, { dev: stat.dev, ino: stat.ino });
      }
      if (!open.identities.has(this.path)) throw new Error(`${this.path} was not created`);
      this.verify(open);
      // Ready means a score can be stored now: a real commit, which a full disk refuses (opening and
      // taking the write lock do not need space). After a failed write, this keeps readiness at 503
      // until writing works again, instead of reopening into the same failure under load.
      open.store.probeWrite(new Date().toISOString());
      await this.runLoaders(open.store);
      this.open = open;
    } catch (error) {
      writer?.close();
      db?.close();
      this.recordFailure(error, 'cannot open the score database', false);
      return;
    }
    this.logger.info({ path: this.path }, 'score database open and migrated');
  }

  /**
   * TypeORM runs the migrations (and records them) on a connection of its own, closed before the
   * service opens the one it writes through.
   */
  private async migrate(): Promise<void> {
    if (this.pendingMigrations().length === 0) return;
    await runMigrations({
      type: 'better-sqlite3',
      database: this.path,
      migrations: MIGRATIONS,
      migrationsTransactionMode: 'each',
      enableWAL: true,
      timeout: BUSY_TIMEOUT_MS,
    });
  }

  /** What TypeORM has not recorded yet: every migration for a new file, usually none on a restart. */
  private pendingMigrations(): readonly (typeof MIGRATIONS)[number][] {
    if (!existsSync(this.path)) return MIGRATIONS;
    const db = new BetterSqlite3(this.path, { timeout: BUSY_TIMEOUT_MS, fileMustExist: true });
    try {
      const table = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(MIGRATIONS_TABLE);
      if (!table) return MIGRATIONS;
      const applied = db.prepare<[], { name: string }>(`SELECT name FROM "${MIGRATIONS_TABLE}"`).all();
      return pendingMigrations(MIGRATIONS, applied.map((row) => row.name));
    } finally {
      db.close();
    }
  }

  private verify(open: OpenDatabase): void {
    this.verifyIdentity(open);
    this.verifyFreeSpace();
    open.store.ping();
    // Fails on a read-only file, directory or volume.
    open.store.checkWritable();
  }

  private verifyFreeSpace(): void {
    const { bavail, bsize } = statfsSync(dirname(this.path));
    // No byte count in the message: the reason must stay the same while the disk stays full, so it is logged once.
    if (bavail * bsize < MIN_FREE_BYTES) throw new Error(`the filesystem of ${this.path} has less than ${MIN_FREE_BYTES / 1024} KiB free`);
  }

  /** The database file and the two SQLite creates beside it in WAL mode. */
  private files(): string[] {
    return [this.path, `${this.path}-wal`, `${this.path}-shm`];
  }

  private verifyIdentity(open: OpenDatabase): void {
    for (const file of this.files()) this.verifyFile(open, file);
  }

  /** Throws GhostFileError when `file` is no longer the file the connection opened. */
  private verifyFile(open: OpenDatabase, file: string): void {
    const stat = statOrUndefined(file);
    const known = open.identities.get(file);
    if (!known) {
      // SQLite creates the WAL and its index lazily: from the moment they exist, they are watched.
      if (stat) open.identities.set(file, { dev: stat.dev, ino: stat.ino });
      return;
    }
    if (!stat) throw new GhostFileError(file, 'disappeared');
    if (!stat.isFile()) throw new GhostFileError(file, 'is no longer a regular file');
    if (stat.ino !== known.ino || stat.dev !== known.dev) throw new GhostFileError(file, 'was replaced by another file');
  }

  /**
   * Marks the storage failed and closes it (the watcher reopens it). When only the WAL or its index was
   * removed, the connection still holds them open: a checkpoint copies every committed page into the
   * database file, which is still the right one. True when that rescue made the commits durable.
   */
  private fail(error: unknown): boolean {
    const open = this.open;
    if (!open) return false;
    let rescued = false;
    if (error instanceof GhostFileError && error.file !== this.path) {
      try {
        this.verifyFile(open, this.path);
        open.store.checkpoint();
        rescued = true;
      } catch (rescueError) {
        this.logger.error({ path: this.path, reason: this.describe(rescueError) }, 'could not copy the removed WAL into the database file');
      }
    }
    this.recordFailure(error, rescued ? 'score database failed; committed scores copied into the database file' : 'score database failed', true);
    this.close();
    return rescued;
  }

  private close(): void {
    const open = this.open;
    this.open = undefined;
    open?.writer.close();
    try {
      open?.db.close();
    } catch {
      // Closing a connection whose files are gone can fail; the connection is dropped either way.
    }
  }
}

function statOrUndefined(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

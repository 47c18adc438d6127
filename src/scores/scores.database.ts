import type { OnModuleInit } from '@nestjs/common';
import type { Logger } from 'pino';
import type { AppConfig } from '../config/config.schema.ts';
import type { ScoreStore } from './score-store.ts';
import { StorageUnavailableError } from './storage-unavailable.error.ts';

/** Loads what the service keeps in memory from a freshly opened store (the leaderboard, the run keys). */
export type Loader = (store: ScoreStore) => Promise<void>;

export type StorageStatus = { ready: true } | { ready: false; reason: string };

export const STORAGE_ENGINES = ['sqlite', 'postgres'] as const;
export type StorageEngine = (typeof STORAGE_ENGINES)[number];

/** Another replica committed scores; `maxScore` is the best of them, so a replica can tell whether its top list moved. */
export interface RemoteScores {
  maxScore: number;
}

/**
 * The database the scores live in, whichever engine it is: opens and migrates it, says whether it is
 * usable, runs work on it, and reports when it was (re)opened or changed by another replica. It is
 * also the injection token: the scores module provides SQLite or PostgreSQL behind it (see
 * `scores.module.ts`). What both engines share lives here: one timer that watches a healthy store and
 * reopens a failed one, the loaders run on every (re)open, and a failure reason logged once. There is
 * deliberately no in-memory fallback in either engine: a service that reports ready while losing
 * scores is worse than one that is down.
 */
export abstract class ScoresDatabase implements OnModuleInit {
  abstract readonly engine: StorageEngine;
  /** Why the store is not usable (the readiness reason), while it is not. */
  protected failure = 'database not opened yet';
  protected closed = false;
  private timer?: NodeJS.Timeout;
  private readonly loaders: Loader[] = [];

  constructor(
    protected readonly config: AppConfig,
    protected readonly logger: Logger,
  ) {}

  /** The store while it is usable; undefined while it is failed (or not yet open). */
  protected abstract get store(): ScoreStore | undefined;
  /** Opens (or reopens) the store; on failure records why and leaves it closed. */
  protected abstract connect(): Promise<void>;
  /** Checks an open store; never throws. */
  protected abstract watch(): Promise<void>;
  /** What the logs say about where the database is (never a secret). */
  protected abstract readonly location: Record<string, string>;

  async onModuleInit(): Promise<void> {
    await this.connect();
    // One timer both watches a healthy database and retries a failed one.
    this.timer = setInterval(() => void this.tick(), this.config.storageRetryMs);
    this.timer.unref();
  }

  /**
   * Runs `load` now if the database is open, and again after every (re)open, before the database is
   * reported ready, so what it loads is in place when traffic arrives.
   */
  async loadOnOpen(load: Loader): Promise<void> {
    this.loaders.push(load);
    const store = this.store;
    if (store) await load(store);
  }

  /** Whether the storage is known to be usable (no query: the watcher and the writes keep this current). */
  available(): boolean {
    return this.store !== undefined;
  }

  /** Cheap gate for reads served from memory: throws StorageUnavailableError when the storage is known to be down. */
  assertAvailable(): void {
    if (!this.store) throw new StorageUnavailableError(this.failure);
  }

  /** Readiness: the database answers and accepts writes now. */
  abstract check(): Promise<StorageStatus>;

  /**
   * Runs `work` on the open database; any failure marks the storage unavailable and is a
   * StorageUnavailableError (503). `verify`: the write's durability is checked around it where the
   * engine can (SQLite's files).
   */
  abstract use<T>(work: (store: ScoreStore) => Promise<T>, options?: { verify?: boolean }): Promise<T>;

  /**
   * Calls `listener` when another replica committed scores. A single writer (SQLite) never does; the
   * loaders run after every reconnect, which covers what was missed meanwhile.
   */
  onRemoteScores(listener: (change: RemoteScores) => void): void {
    void listener;
  }

  /** Stops the timer: shutdown. */
  protected stopWatching(): void {
    this.closed = true;
    clearInterval(this.timer);
  }

  protected async runLoaders(store: ScoreStore): Promise<void> {
    for (const load of this.loaders) await load(store);
  }

  /**
   * Records why the store failed. Logged when it was open until now or the reason changed: the retry
   * loop would otherwise repeat the same failure every few seconds.
   */
  protected recordFailure(error: unknown, what: string, wasOpen: boolean): void {
    const reason = this.describe(error);
    if (reason !== this.failure || wasOpen) {
      this.logger.error({ ...this.location, reason, retry_ms: this.config.storageRetryMs }, what);
    }
    this.failure = reason;
  }

  /** The error as a readiness reason: its code and its message. */
  protected describe(error: unknown): string {
    if (!(error instanceof Error)) return String(error);
    const code = (error as { code?: unknown }).code;
    const message = error.message || error.constructor.name;
    return typeof code === 'string' && !message.includes(code) ? `${code}: ${message}` : message;
  }

  private async tick(): Promise<void> {
    if (this.closed) return;
    if (this.store) await this.watch();
    else await this.connect();
  }
}

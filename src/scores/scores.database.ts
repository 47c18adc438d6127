import type { ScoreStore } from './score-store.ts';

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
 * `scores.module.ts`). There is deliberately no in-memory fallback in either engine: a service that
 * reports ready while losing scores is worse than one that is down.
 */
export abstract class ScoresDatabase {
  abstract readonly engine: StorageEngine;

  /**
   * Runs `load` now if the database is open, and again after every (re)open, before the database is
   * reported ready, so what it loads is in place when traffic arrives.
   */
  abstract loadOnOpen(load: Loader): Promise<void>;

  /** Whether the storage is known to be usable (no query: the watcher and the writes keep this current). */
  abstract available(): boolean;

  /** Cheap gate for reads served from memory: throws StorageUnavailableError when the storage is known to be down. */
  abstract assertAvailable(): void;

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
}

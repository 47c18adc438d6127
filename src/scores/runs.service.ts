import { randomUUID } from 'node:crypto';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { APP_CONFIG } from '../config/config.module.ts';
import type { AppConfig } from '../config/config.schema.ts';
import { RunKeyRing } from './run-keys.ts';
import { readRun, type Run, type RunReading, signRun } from './run-token.ts';
import { ScoresDatabase } from './scores.database.ts';

/** What POST /game-start answers: the run, and the token a score for it must carry. */
export interface IssuedRun {
  id: string;
  token: string;
  startedAt: string;
  expiresAt: string;
}

/**
 * Issues runs and reads them back. A run is a signed token, not a stored record: starting a game
 * writes nothing (the key ring changes once a day), so POST /game-start can fill neither the database
 * nor memory. A run is spent by the score stored with its id (see ScoresService).
 */
@Injectable()
export class RunsService implements OnModuleInit {
  private readonly ring: RunKeyRing;

  constructor(
    private readonly database: ScoresDatabase,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.ring = new RunKeyRing((work) => this.database.use(work), config.runTtlMs);
  }

  async onModuleInit(): Promise<void> {
    await this.database.loadOnOpen((store) => this.ring.load(store));
  }

  /** A new run that started at `startedAt` (when its request arrived) and expires RUN_TTL_SECONDS later. */
  async issue(startedAt: number): Promise<IssuedRun> {
    const run: Run = { id: randomUUID(), startedAt, expiresAt: startedAt + this.config.runTtlMs };
    const token = await signRun(run, await this.ring.signingKey(startedAt));
    return { id: run.id, token, startedAt: new Date(run.startedAt).toISOString(), expiresAt: new Date(run.expiresAt).toISOString() };
  }

  read(token: string, now: number): Promise<RunReading> {
    return readRun(token, (id) => this.ring.verifyingKey(id, now), now);
  }
}

import { Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { trace } from '@opentelemetry/api';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { Counter, Gauge } from 'prom-client';
import { isPlausible } from '../game/scoring.ts';
import { METRIC } from '../metrics/metric-names.ts';
import { startActiveChildSpan } from '../telemetry/child-span.ts';
import { GroupCommit } from './group-commit.ts';
import { LeaderboardCache } from './leaderboard-cache.ts';
import { MAX_LEADERBOARD_LIMIT, type ScoreSubmission } from './score.dto.ts';
import { type PublicScore, type ScoreRecord, toPublicScore } from './score.record.ts';
import { CoalescedTask } from './coalesced-task.ts';
import { SCORE_REJECTION_REASONS, ScoreRejectedError, type ScoreRejectionReason } from './score-rejection.ts';
import { ScoresDatabase } from './scores.database.ts';
import { RunsService } from './runs.service.ts';
import type { InsertOutcome, NewScore, ScoreStore } from './score-store.ts';

export interface SubmitResult {
  stored: PublicScore;
  highScore: number;
}

/** A stored score's answer; `replayed` when the run had already scored the same (a client's retry). */
export interface Submitted {
  result: SubmitResult;
  replayed: boolean;
}

const tracer = trace.getTracer('drafty-bird');

/**
 * Scores and the leaderboard. A score is accepted only for a run the server issued, unexpired,
 * plausible for the time the run has lasted, and not yet scored. Writes are group-committed and
 * acknowledged only once durable; the leaderboard is answered from an in-memory top list that is
 * updated after each commit and reloaded from the database's index whenever the database (re)opens.
 */
@Injectable()
export class ScoresService implements OnModuleInit, OnApplicationShutdown {
  private readonly cache = new LeaderboardCache(MAX_LEADERBOARD_LIMIT);
  /** Serialised answers by limit; cleared whenever the cached ranking changes. */
  private readonly serialized = new Map<number, string>();
  private readonly writes = new GroupCommit<NewScore, InsertOutcome>((batch) => this.commit(batch));
  /** Another replica's commit may have moved the top list: reread it (one at a time; requests meanwhile coalesce). */
  private readonly remoteReload = new CoalescedTask(() => this.database.use((store) => this.reload(store)));
  /** One list per reload under way: the scores this replica committed while it read, offered again on top. */
  private readonly committedDuringReloads = new Set<ScoreRecord[]>();

  constructor(
    private readonly database: ScoresDatabase,
    private readonly runs: RunsService,
    @InjectMetric(METRIC.gamesCompleted) private readonly gamesCompleted: Counter,
    @InjectMetric(METRIC.scoreRejections) private readonly rejections: Counter,
    @InjectMetric(METRIC.highScore) private readonly highScoreGauge: Gauge,
  ) {
    // Every reason is exposed from the start, so rate() sees the first rejection.
    for (const reason of SCORE_REJECTION_REASONS) this.rejections.inc({ reason }, 0);
  }

  async onModuleInit(): Promise<void> {
    await this.database.loadOnOpen((store) => this.reload(store));
    this.database.onRemoteScores(({ maxScore }) => {
      if (this.cache.couldChange(maxScore)) this.remoteReload.request();
    });
  }

  /**
   * Checks the submission's run at `now` and stores the score once; throws ScoreRejectedError.
   * `beforeCommit` runs inside the write's span just before the score joins a commit (chaos' storage
   * faults hook in there; it may throw, and then nothing is stored).
   */
  submit(submission: ScoreSubmission, now: number, beforeCommit?: () => Promise<void>): Promise<Submitted> {
    return startActiveChildSpan(tracer, 'score.submit', async (span) => {
      span.setAttributes({ 'score.value': submission.score });
      try {
        if (submission.run === undefined) throw this.reject('run_missing', 'run is required: start a run with POST /game-start and send its token as "run"');
        const reading = await this.runs.read(submission.run, now);
        if (!reading.ok) throw this.reject(reading.reason, reading.detail);
        const { run } = reading;
        span.setAttribute('run.id', run.id);
        const lastedMs = now - run.startedAt;
        if (!isPlausible(submission.score, lastedMs)) {
          throw this.reject('score_implausible', `score ${submission.score} is not possible ${Math.max(0, Math.round(lastedMs / 1000))} s into a run`);
        }
        const row: NewScore = { runId: run.id, player: submission.player, score: submission.score, createdAt: new Date(now).toISOString() };
        if (beforeCommit) await beforeCommit();
        const outcome = await this.writes.submit(row);
        const result = { stored: toPublicScore(outcome.record), highScore: outcome.highScore };
        if (outcome.kind === 'stored') return { result, replayed: false };
        if (outcome.record.player === row.player && outcome.record.score === row.score) return { result, replayed: true };
        throw this.reject('run_conflict', 'run already has a different score');
      } finally {
        span.end();
      }
    });
  }

  /**
   * The leaderboard as the JSON body `{"leaderboard":[…]}`, serialised once per change and limit: reads
   * far outnumber writes, and most writes do not change the top 100.
   */
  leaderboardJson(limit: number): string {
    return startActiveChildSpan(tracer, 'leaderboard.query', (span) => {
      try {
        span.setAttribute('leaderboard.limit', limit);
        // The answer comes from memory, but only while the database that backs it is healthy.
        this.database.assertAvailable();
        let json = this.serialized.get(limit);
        if (json === undefined) {
          json = JSON.stringify({ leaderboard: this.cache.top(limit).map(toPublicScore) });
          this.serialized.set(limit, json);
        }
        return json;
      } finally {
        span.end();
      }
    });
  }

  /** Every score submitted before shutdown is committed (or refused) before the database closes. */
  onApplicationShutdown(): Promise<void> {
    return this.writes.drain();
  }

  private reject(reason: ScoreRejectionReason, message: string): ScoreRejectedError {
    this.rejections.inc({ reason });
    return new ScoreRejectedError(reason, message);
  }

  private async commit(batch: readonly NewScore[]): Promise<InsertOutcome[]> {
    const outcomes = await this.database.use((store) => store.insertBatch(batch), { verify: true });
    let stored = 0;
    for (const outcome of outcomes) {
      if (outcome.kind !== 'stored') continue;
      stored += 1;
      this.offer(outcome.record);
      for (const committed of this.committedDuringReloads) committed.push(outcome.record);
    }
    this.gamesCompleted.inc(stored);
    this.highScoreGauge.set(this.cache.highScore);
    return outcomes;
  }

  private offer(record: ScoreRecord): void {
    if (this.cache.offer(record)) this.serialized.clear();
  }

  /**
   * Replaces the top list with the database's. A score this replica commits while the read is under way
   * may be missing from what it returns, so those are offered again afterwards.
   */
  private async reload(store: ScoreStore): Promise<void> {
    const committed: ScoreRecord[] = [];
    this.committedDuringReloads.add(committed);
    try {
      this.cache.reset(await store.top(MAX_LEADERBOARD_LIMIT));
      for (const record of committed) this.cache.offer(record);
    } finally {
      this.committedDuringReloads.delete(committed);
    }
    this.serialized.clear();
    this.highScoreGauge.set(this.cache.highScore);
  }
}

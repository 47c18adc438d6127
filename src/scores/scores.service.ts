import { Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { trace } from '@opentelemetry/api';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { Counter, Gauge } from 'prom-client';
import { METRIC } from '../metrics/metric-names.ts';
import { GroupCommit } from './group-commit.ts';
import { LeaderboardCache } from './leaderboard-cache.ts';
import { MAX_LEADERBOARD_LIMIT, type ScoreSubmission } from './score.dto.ts';
import { type PublicScore, toPublicScore } from './score.record.ts';
import { ScoresDatabase } from './scores.database.ts';
import type { NewScore, ScoreStore } from './sqlite-score-store.ts';

export interface SubmitResult {
  stored: PublicScore;
  highScore: number;
}

const tracer = trace.getTracer('drafty-bird');

/**
 * Scores and the leaderboard. Writes are group-committed and acknowledged only once durable; the
 * leaderboard is answered from an in-memory top list that is updated after each commit and reloaded
 * from the database's index whenever the database (re)opens.
 */
@Injectable()
export class ScoresService implements OnModuleInit, OnApplicationShutdown {
  private readonly cache = new LeaderboardCache(MAX_LEADERBOARD_LIMIT);
  /** Serialised answers by limit; cleared whenever the cached ranking changes. */
  private readonly serialized = new Map<number, string>();
  private readonly writes = new GroupCommit<NewScore, SubmitResult>((batch) => this.commit(batch));

  constructor(
    private readonly database: ScoresDatabase,
    @InjectMetric(METRIC.gamesCompleted) private readonly gamesCompleted: Counter,
    @InjectMetric(METRIC.highScore) private readonly highScoreGauge: Gauge,
  ) {}

  onModuleInit(): void {
    this.database.loadOnOpen((store) => this.reload(store));
  }

  submit(submission: ScoreSubmission): Promise<SubmitResult> {
    return tracer.startActiveSpan('score.submit', async (span) => {
      span.setAttributes({ 'score.value': submission.score });
      try {
        return await this.writes.submit({ player: submission.player, score: submission.score, createdAt: new Date().toISOString() });
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
    return tracer.startActiveSpan('leaderboard.query', (span) => {
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

  onApplicationShutdown(): void {
    this.writes.flush();
  }

  private commit(batch: readonly NewScore[]): SubmitResult[] {
    const records = this.database.use((store) => store.insertBatch(batch), { verify: true });
    let highScore = this.cache.highScore;
    const results = records.map((record) => {
      if (this.cache.offer(record)) this.serialized.clear();
      highScore = Math.max(highScore, record.score);
      return { stored: toPublicScore(record), highScore };
    });
    this.gamesCompleted.inc(records.length);
    this.highScoreGauge.set(this.cache.highScore);
    return results;
  }

  private reload(store: ScoreStore): void {
    this.cache.reset(store.top(MAX_LEADERBOARD_LIMIT));
    this.serialized.clear();
    this.highScoreGauge.set(this.cache.highScore);
  }
}

import { Controller, HttpCode, Post, Res } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { FastifyReply } from 'fastify';
import type { Counter } from 'prom-client';
import { RateLimited } from '../http/rate-limited.ts';
import { METRIC } from '../metrics/metric-names.ts';
import { PLAYER_ROUTES } from '../surface.ts';
import { Clock } from './clock.ts';
import { type IssuedRun, RunsService } from './runs.service.ts';

@Controller()
export class GamesController {
  constructor(
    private readonly runs: RunsService,
    private readonly clock: Clock,
    @InjectMetric(METRIC.gamesStarted) private readonly gamesStarted: Counter,
  ) {}

  /**
   * Starts a run: `{"accepted":true,"run":{id,token,startedAt,expiresAt}}`. The body, if any, is
   * ignored (but must be JSON). The run starts when the request arrived, before any queueing or
   * injected latency, so time the server spent is never held against the player.
   */
  @Post(PLAYER_ROUTES.gameStart)
  @HttpCode(202)
  @RateLimited()
  async start(@Res({ passthrough: true }) reply: FastifyReply): Promise<{ accepted: true; run: IssuedRun }> {
    const run = await this.runs.issue(Math.floor(this.clock.now() - reply.elapsedTime));
    this.gamesStarted.inc();
    return { accepted: true, run };
  }
}

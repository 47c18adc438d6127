import { Controller, HttpCode, Post } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { Counter } from 'prom-client';
import { RateLimited } from '../http/rate-limited.ts';
import { METRIC } from '../metrics/metric-names.ts';
import { PLAYER_ROUTES } from '../surface.ts';

@Controller()
export class GamesController {
  constructor(@InjectMetric(METRIC.gamesStarted) private readonly gamesStarted: Counter) {}

  /** Counts a started game; the body, if any, is ignored (but must be JSON). */
  @Post(PLAYER_ROUTES.gameStart)
  @HttpCode(202)
  @RateLimited()
  start(): { accepted: true } {
    this.gamesStarted.inc();
    return { accepted: true };
  }
}

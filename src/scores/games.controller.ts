import { Controller, HttpCode, Post } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { Counter } from 'prom-client';
import { RateLimited } from '../http/rate-limited.js';
import { METRIC } from '../metrics/metric-names.js';

@Controller()
export class GamesController {
  constructor(@InjectMetric(METRIC.gamesStarted) private readonly gamesStarted: Counter) {}

  /** Counts a started game; the body, if any, is ignored (but must be JSON). */
  @Post('game-start')
  @HttpCode(202)
  @RateLimited()
  start(): { accepted: true } {
    this.gamesStarted.inc();
    return { accepted: true };
  }
}

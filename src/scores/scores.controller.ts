import { Body, Controller, Get, Header, HttpCode, Post, Query, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ChaosService } from '../chaos/chaos.service.ts';
import { RateLimited } from '../http/rate-limited.ts';
import { ZodValidationPipe } from '../http/zod-validation.pipe.ts';
import { PLAYER_ROUTES } from '../surface.ts';
import { Clock } from './clock.ts';
import { leaderboardLimitSchema, type ScoreSubmission, scoreSubmissionSchema } from './score.dto.ts';
import { ScoresService, type SubmitResult } from './scores.service.ts';

/** Set on the answer to a retry: the run had already scored this, nothing new was stored. */
export const REPLAYED_HEADER = 'idempotent-replayed';

@Controller()
export class ScoresController {
  constructor(
    private readonly scores: ScoresService,
    private readonly clock: Clock,
    private readonly chaos: ChaosService,
  ) {}

  /** 201 `{stored, highScore}`; the same run and body again answers the first 201 again. */
  @Post(PLAYER_ROUTES.score)
  @HttpCode(201)
  @RateLimited()
  async submit(
    @Body(new ZodValidationPipe(scoreSubmissionSchema)) submission: ScoreSubmission,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<SubmitResult> {
    const { result, replayed } = await this.scores.submit(submission, this.clock.now(), () => this.chaos.beforeCommit(request));
    if (replayed) reply.header(REPLAYED_HEADER, 'true');
    return result;
  }

  /** `{"leaderboard":[{"player","score","createdAt"},…]}`, already serialised by the service. */
  @Get(PLAYER_ROUTES.leaderboard)
  @Header('content-type', 'application/json; charset=utf-8')
  leaderboard(@Query('limit', new ZodValidationPipe(leaderboardLimitSchema, 'limit')) limit: number): string {
    return this.scores.leaderboardJson(limit);
  }
}

import { Body, Controller, Get, Header, HttpCode, Post, Query } from '@nestjs/common';
import { RateLimited } from '../http/rate-limited.ts';
import { ZodValidationPipe } from '../http/zod-validation.pipe.ts';
import { leaderboardLimitSchema, type ScoreSubmission, scoreSubmissionSchema } from './score.dto.ts';
import { ScoresService, type SubmitResult } from './scores.service.ts';
import { PLAYER_ROUTES } from '../surface.ts';

@Controller()
export class ScoresController {
  constructor(private readonly scores: ScoresService) {}

  @Post(PLAYER_ROUTES.score)
  @HttpCode(201)
  @RateLimited()
  submit(@Body(new ZodValidationPipe(scoreSubmissionSchema)) submission: ScoreSubmission): Promise<SubmitResult> {
    return this.scores.submit(submission);
  }

  /** `{"leaderboard":[{"player","score","createdAt"},…]}`, already serialised by the service. */
  @Get(PLAYER_ROUTES.leaderboard)
  @Header('content-type', 'application/json; charset=utf-8')
  leaderboard(@Query('limit', new ZodValidationPipe(leaderboardLimitSchema, 'limit')) limit: number): string {
    return this.scores.leaderboardJson(limit);
  }
}

import { Body, Controller, Get, Header, HttpCode, Post, Query } from '@nestjs/common';
import { RateLimited } from '../http/rate-limited.js';
import { ZodValidationPipe } from '../http/zod-validation.pipe.js';
import { leaderboardLimitSchema, type ScoreSubmission, scoreSubmissionSchema } from './score.dto.js';
import { ScoresService, type SubmitResult } from './scores.service.js';

@Controller()
export class ScoresController {
  constructor(private readonly scores: ScoresService) {}

  @Post('score')
  @HttpCode(201)
  @RateLimited()
  submit(@Body(new ZodValidationPipe(scoreSubmissionSchema)) submission: ScoreSubmission): Promise<SubmitResult> {
    return this.scores.submit(submission);
  }

  /** `{"leaderboard":[{"player","score","createdAt"},…]}`, already serialised by the service. */
  @Get('leaderboard')
  @Header('content-type', 'application/json; charset=utf-8')
  leaderboard(@Query('limit', new ZodValidationPipe(leaderboardLimitSchema, 'limit')) limit: number): string {
    return this.scores.leaderboardJson(limit);
  }
}

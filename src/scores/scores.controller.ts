import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { RateLimited } from '../http/rate-limited.js';
import { ZodValidationPipe } from '../http/zod-validation.pipe.js';
import { leaderboardLimitSchema, type ScoreSubmission, scoreSubmissionSchema } from './score.dto.js';
import type { PublicScore } from './score.record.js';
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

  @Get('leaderboard')
  leaderboard(
    @Query('limit', new ZodValidationPipe(leaderboardLimitSchema, 'limit')) limit: number,
  ): { leaderboard: PublicScore[] } {
    return { leaderboard: this.scores.leaderboard(limit) };
  }
}

import { Module } from '@nestjs/common';
import { GamesController } from './games.controller.ts';
import { ScoresController } from './scores.controller.ts';
import { ScoresDatabase } from './scores.database.ts';
import { ScoresService } from './scores.service.ts';
import { Clock } from './clock.ts';
import { RunsService } from './runs.service.ts';

@Module({
  controllers: [ScoresController, GamesController],
  providers: [ScoresDatabase, ScoresService, RunsService, Clock],
  exports: [ScoresDatabase, ScoresService],
})
export class ScoresModule {}

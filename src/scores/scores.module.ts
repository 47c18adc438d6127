import { Module } from '@nestjs/common';
import { GamesController } from './games.controller.ts';
import { ScoresController } from './scores.controller.ts';
import { ScoresDatabase } from './scores.database.ts';
import { ScoresService } from './scores.service.ts';

@Module({
  controllers: [ScoresController, GamesController],
  providers: [ScoresDatabase, ScoresService],
  exports: [ScoresDatabase, ScoresService],
})
export class ScoresModule {}

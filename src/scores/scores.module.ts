import { Module } from '@nestjs/common';
import { GamesController } from './games.controller.js';
import { ScoresController } from './scores.controller.js';
import { ScoresDatabase } from './scores.database.js';
import { ScoresService } from './scores.service.js';

@Module({
  controllers: [ScoresController, GamesController],
  providers: [ScoresDatabase, ScoresService],
  exports: [ScoresDatabase, ScoresService],
})
export class ScoresModule {}

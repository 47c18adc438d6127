import { Module } from '@nestjs/common';
import type { Logger } from 'pino';
import { APP_CONFIG } from '../config/config.module.ts';
import type { AppConfig } from '../config/config.schema.ts';
import { LOGGER } from '../telemetry/telemetry.module.ts';
import { ChaosModule } from '../chaos/chaos.module.ts';
import { Clock } from './clock.ts';
import { GamesController } from './games.controller.ts';
import { PostgresDatabase } from './postgres.database.ts';
import { RunsService } from './runs.service.ts';
import { ScoresController } from './scores.controller.ts';
import { ScoresDatabase } from './scores.database.ts';
import { ScoresService } from './scores.service.ts';
import { SqliteDatabase } from './sqlite.database.ts';

/** The engine behind the storage boundary: PostgreSQL when DATABASE_URL is set, else SQLite. */
const scoresDatabase = {
  provide: ScoresDatabase,
  inject: [APP_CONFIG, LOGGER],
  useFactory: (config: AppConfig, logger: Logger): ScoresDatabase =>
    config.postgres ? new PostgresDatabase(config, logger) : new SqliteDatabase(config, logger),
};

@Module({
  imports: [ChaosModule],
  controllers: [ScoresController, GamesController],
  providers: [scoresDatabase, ScoresService, RunsService, Clock],
  exports: [ScoresDatabase, ScoresService],
})
export class ScoresModule {}

import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import type { Logger } from 'pino';
import { ChaosModule } from './chaos/chaos.module.js';
import { ConfigModule } from './config/config.module.js';
import type { AppConfig } from './config/config.schema.js';
import { HealthModule } from './health/health.module.js';
import { HttpExceptionFilter } from './http/http-exception.filter.js';
import { MetricsModule } from './metrics/metrics.module.js';
import { ScoresModule } from './scores/scores.module.js';
import { TelemetryModule } from './telemetry/telemetry.module.js';

@Module({})
export class AppModule {
  /** The whole application for one validated configuration; tests build it exactly like `main.ts`. */
  static forRoot(config: AppConfig, logger: Logger): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        TelemetryModule.forRoot(logger),
        MetricsModule,
        ScoresModule,
        HealthModule,
        ChaosModule,
      ],
      providers: [{ provide: APP_FILTER, useClass: HttpExceptionFilter }],
    };
  }
}

import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import type { Logger } from 'pino';
import { ApiModule } from './api/api.module.ts';
import { BuildModule } from './build/build.module.ts';
import { ChaosModule } from './chaos/chaos.module.ts';
import { ConfigModule } from './config/config.module.ts';
import type { AppConfig } from './config/config.schema.ts';
import { HealthModule } from './health/health.module.ts';
import { HttpExceptionFilter } from './http/http-exception.filter.ts';
import { MetricsModule } from './metrics/metrics.module.ts';
import { ScoresModule } from './scores/scores.module.ts';
import { TelemetryModule } from './telemetry/telemetry.module.ts';

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
        BuildModule,
        ApiModule,
      ],
      providers: [{ provide: APP_FILTER, useClass: HttpExceptionFilter }],
    };
  }
}

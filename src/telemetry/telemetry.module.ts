import { type DynamicModule, Global, Module } from '@nestjs/common';
import type { Logger } from 'pino';
import { LogMetrics } from './log.metrics.ts';

/** Injection token of the process-wide pino {@link Logger}. */
export const LOGGER = Symbol('LOGGER');

@Global()
@Module({})
export class TelemetryModule {
  static forRoot(logger: Logger): DynamicModule {
    return { module: TelemetryModule, providers: [{ provide: LOGGER, useValue: logger }, LogMetrics], exports: [LOGGER] };
  }
}

import { Global, Module } from '@nestjs/common';
import { ScoresModule } from '../scores/scores.module.ts';
import { HealthController } from './health.controller.ts';
import { HealthMetrics } from './health.metrics.ts';
import { ShutdownState } from './shutdown-state.ts';

@Global()
@Module({
  imports: [ScoresModule],
  controllers: [HealthController],
  providers: [ShutdownState, HealthMetrics],
  exports: [ShutdownState],
})
export class HealthModule {}

import { Global, Module } from '@nestjs/common';
import { ScoresModule } from '../scores/scores.module.ts';
import { HealthController } from './health.controller.ts';
import { ShutdownState } from './shutdown-state.ts';

@Global()
@Module({
  imports: [ScoresModule],
  controllers: [HealthController],
  providers: [ShutdownState],
  exports: [ShutdownState],
})
export class HealthModule {}

import { Module } from '@nestjs/common';
import { ChaosAdminGuard } from './chaos-admin.guard.ts';
import { ChaosController } from './chaos.controller.ts';
import { ChaosService } from './chaos.service.ts';

@Module({
  controllers: [ChaosController],
  providers: [ChaosService, ChaosAdminGuard],
  exports: [ChaosService],
})
export class ChaosModule {}

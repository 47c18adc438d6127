import { Module } from '@nestjs/common';
import { ChaosAdminGuard } from './chaos-admin.guard.js';
import { ChaosController } from './chaos.controller.js';
import { ChaosService } from './chaos.service.js';

@Module({
  controllers: [ChaosController],
  providers: [ChaosService, ChaosAdminGuard],
  exports: [ChaosService],
})
export class ChaosModule {}

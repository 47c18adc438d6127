import { Module } from '@nestjs/common';
import { loadBuildInfo } from './build-info.ts';
import { BuildMetrics } from './build.metrics.ts';
import { BUILD_INFO } from './build.tokens.ts';
import { VersionController } from './version.controller.ts';

@Module({
  controllers: [VersionController],
  providers: [{ provide: BUILD_INFO, useFactory: loadBuildInfo }, BuildMetrics],
  exports: [BUILD_INFO],
})
export class BuildModule {}

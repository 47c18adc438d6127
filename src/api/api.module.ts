import { Module } from '@nestjs/common';
import { BuildModule } from '../build/build.module.ts';
import { OpenApiController } from './openapi.controller.ts';

/** The API described: /openapi.json. */
@Module({
  imports: [BuildModule],
  controllers: [OpenApiController],
})
export class ApiModule {}

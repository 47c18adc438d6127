import { Controller, Get, Inject } from '@nestjs/common';
import { OPERATOR_ROUTES } from '../surface.ts';
import type { BuildInfo } from './build-info.ts';
import { BUILD_INFO } from './build.tokens.ts';

@Controller()
export class VersionController {
  constructor(@Inject(BUILD_INFO) private readonly info: BuildInfo) {}

  /** What runs here: the first question in an incident ("which version is this replica?"). */
  @Get(OPERATOR_ROUTES.version)
  version(): BuildInfo {
    return this.info;
  }
}

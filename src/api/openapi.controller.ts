import { Controller, Get, Inject } from '@nestjs/common';
import type { BuildInfo } from '../build/build-info.ts';
import { BUILD_INFO } from '../build/build.tokens.ts';
import { OPERATOR_ROUTES } from '../surface.ts';
import { openApiDocument } from './openapi.document.ts';

@Controller()
export class OpenApiController {
  /** Generated once: the schemas do not change while the process runs. */
  private readonly document: ReturnType<typeof openApiDocument>;

  constructor(@Inject(BUILD_INFO) info: BuildInfo) {
    this.document = openApiDocument(info.version);
  }

  @Get(OPERATOR_ROUTES.openapi)
  openApi(): ReturnType<typeof openApiDocument> {
    return this.document;
  }
}

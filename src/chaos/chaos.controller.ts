import { Body, Controller, Get, Put, UseGuards } from '@nestjs/common';
import { ZodValidationPipe } from '../http/zod-validation.pipe.js';
import { ChaosAdminGuard } from './chaos-admin.guard.js';
import { ChaosService } from './chaos.service.js';
import { type ChaosSettings, chaosSettingsSchema } from './chaos.settings.js';

/** Game-day control: read and replace the live chaos settings without a restart. */
@Controller('chaos')
@UseGuards(ChaosAdminGuard)
export class ChaosController {
  constructor(private readonly chaos: ChaosService) {}

  @Get()
  current(): ChaosSettings {
    return this.chaos.settings;
  }

  /** Replaces every setting: fields left out take their defaults, exactly as unset variables do. */
  @Put()
  replace(@Body(new ZodValidationPipe(chaosSettingsSchema)) settings: ChaosSettings): ChaosSettings {
    return this.chaos.replace(settings);
  }
}

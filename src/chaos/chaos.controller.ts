import { Body, Controller, Get, Put, UseGuards } from '@nestjs/common';
import { ZodValidationPipe } from '../http/zod-validation.pipe.ts';
import { ChaosAdminGuard } from './chaos-admin.guard.ts';
import { ChaosService } from './chaos.service.ts';
import { type ChaosSettings, chaosSettingsSchema } from './chaos.settings.ts';
import { ADMIN_ROUTES } from '../surface.ts';

/** The admin API's path: the controller below, and the hook that checks its token before any body is read. */
export const CHAOS_ADMIN_PATH = ADMIN_ROUTES.chaos;

/** Game-day control: read and replace the live chaos settings without a restart. */
@Controller(CHAOS_ADMIN_PATH)
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

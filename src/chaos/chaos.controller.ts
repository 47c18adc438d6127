import { Body, Controller, Delete, Get, Headers, Put, UseGuards } from '@nestjs/common';
import { ZodValidationPipe } from '../http/zod-validation.pipe.ts';
import { bearerToken, ChaosAdminGuard } from './chaos-admin.guard.ts';
import { type ChaosActor, ChaosService } from './chaos.service.ts';
import { type ChaosChange, chaosChangeSchema, type ChaosState } from './chaos.settings.ts';
import { ADMIN_ROUTES } from '../surface.ts';

/** The admin API's path: the controller below, and the hook that checks its token before any body is read. */
export const CHAOS_ADMIN_PATH = ADMIN_ROUTES.chaos;

/** The guard has checked the header, so it holds the admin token. */
const actorOf = (authorization: string): ChaosActor => ({ token: bearerToken(authorization) ?? '' });

/** Game-day control: read, replace (optionally time-boxed) or stop the live chaos settings without a restart. */
@Controller(CHAOS_ADMIN_PATH)
@UseGuards(ChaosAdminGuard)
export class ChaosController {
  constructor(private readonly chaos: ChaosService) {}

  @Get()
  current(): ChaosState {
    return this.chaos.state;
  }

  /** Replaces every setting: fields left out take their defaults, exactly as unset variables do. */
  @Put()
  replace(@Body(new ZodValidationPipe(chaosChangeSchema)) change: ChaosChange, @Headers('authorization') authorization: string): ChaosState {
    const { durationSeconds, expiresAt, ...settings } = change;
    const until = durationSeconds !== undefined ? Date.now() + durationSeconds * 1000 : expiresAt !== undefined ? Date.parse(expiresAt) : null;
    return this.chaos.replace(settings, actorOf(authorization), until);
  }

  /** The kill switch: chaos off, now, whatever was set. */
  @Delete()
  stop(@Headers('authorization') authorization: string): ChaosState {
    return this.chaos.stop(actorOf(authorization));
  }
}

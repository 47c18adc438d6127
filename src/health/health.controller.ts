import { Controller, Get, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ScoresDatabase } from '../scores/scores.database.ts';
import { ShutdownState } from './shutdown-state.ts';
import { OPERATOR_ROUTES } from '../surface.ts';

type Readiness = { status: 'ready'; storage: 'sqlite' } | { status: 'not_ready'; reason: string };

@Controller()
export class HealthController {
  constructor(
    private readonly database: ScoresDatabase,
    private readonly shutdown: ShutdownState,
  ) {}

  /** Liveness: the process answers. Never touches storage, so a storage fault cannot restart the pod. */
  @Get(OPERATOR_ROUTES.liveness)
  liveness(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** Readiness: storage open, migrated, writable and answering, and no shutdown under way. */
  @Get(OPERATOR_ROUTES.readiness)
  readiness(@Res({ passthrough: true }) reply: FastifyReply): Readiness {
    if (this.shutdown.shuttingDown) return this.notReady(reply, 'shutting down');
    const storage = this.database.check();
    if (!storage.ready) return this.notReady(reply, `storage: ${storage.reason}`);
    return { status: 'ready', storage: 'sqlite' };
  }

  private notReady(reply: FastifyReply, reason: string): Readiness {
    reply.code(503);
    return { status: 'not_ready', reason };
  }
}

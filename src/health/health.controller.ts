import { Controller, Get, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ScoresDatabase, type StorageEngine } from '../scores/scores.database.ts';
import { ShutdownState } from './shutdown-state.ts';
import { OPERATOR_ROUTES } from '../surface.ts';

type Readiness = { status: 'ready'; storage: StorageEngine } | { status: 'not_ready'; reason: string };

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

  /** Readiness: storage open, migrated, writable and answering, and no shutdown under way; names the engine. */
  @Get(OPERATOR_ROUTES.readiness)
  async readiness(@Res({ passthrough: true }) reply: FastifyReply): Promise<Readiness> {
    if (this.shutdown.shuttingDown) return this.notReady(reply, 'shutting down');
    const storage = await this.database.check();
    if (!storage.ready) return this.notReady(reply, `storage: ${storage.reason}`);
    return { status: 'ready', storage: this.database.engine };
  }

  private notReady(reply: FastifyReply, reason: string): Readiness {
    reply.code(503);
    return { status: 'not_ready', reason };
  }
}

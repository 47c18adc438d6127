import { createHash, timingSafeEqual } from 'node:crypto';
import {
  type CanActivate,
  type ExecutionContext,
  Inject,
  Injectable,
  NotFoundException,
  UnauthorizedException,
} from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.schema.js';

const digest = (text: string) => createHash('sha256').update(text).digest();

/**
 * `Authorization: Bearer <CHAOS_ADMIN_TOKEN>`, compared in constant time (over digests, so the
 * length of the token does not leak either). Without a configured token the admin API does not exist.
 */
@Injectable()
export class ChaosAdminGuard implements CanActivate {
  private readonly expected?: Buffer;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.expected = config.chaosAdminToken === undefined ? undefined : digest(config.chaosAdminToken);
  }

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    if (!this.expected) throw new NotFoundException(`no route for ${request.method} /chaos`);
    const match = /^Bearer ([^\s]+)$/.exec(request.headers.authorization ?? '');
    if (!match?.[1] || !timingSafeEqual(digest(match[1]), this.expected)) {
      throw new UnauthorizedException('a valid "Authorization: Bearer <CHAOS_ADMIN_TOKEN>" header is required');
    }
    return true;
  }
}

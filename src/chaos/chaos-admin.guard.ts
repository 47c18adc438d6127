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
import { APP_CONFIG } from '../config/config.module.ts';
import type { AppConfig } from '../config/config.schema.ts';

const digest = (text: string) => createHash('sha256').update(text).digest();

/** Why an admin request is refused: 404 where the admin API does not exist, 401 without the token. */
export type AdminRefusal = { status: 404 | 401; message: string };

/** The auth scheme is case-insensitive (RFC 9110 §11.1); the token is one run of visible characters. */
const BEARER = /^bearer +([^\s]+)$/i;

/** The token of an `Authorization: Bearer …` header, if it has one. */
export const bearerToken = (authorization: string | undefined): string | undefined => BEARER.exec(authorization ?? '')?.[1];

/**
 * `Authorization: Bearer <CHAOS_ADMIN_TOKEN>`, compared in constant time (over digests, so the
 * length of the token does not leak either). Without a configured token the admin API does not exist.
 * `configureApp` asks `refusal()` in an onRequest hook, before any body is read; the guard is the same
 * check where Nest routes the request.
 */
@Injectable()
export class ChaosAdminGuard implements CanActivate {
  private readonly expected?: Buffer;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.expected = config.chaosAdminToken === undefined ? undefined : digest(config.chaosAdminToken);
  }

  refusal(method: string, authorization: string | undefined): AdminRefusal | undefined {
    if (!this.expected) return { status: 404, message: `no route for ${method} /chaos` };
    const token = bearerToken(authorization);
    if (!token || !timingSafeEqual(digest(token), this.expected)) {
      return { status: 401, message: 'a valid "Authorization: Bearer <CHAOS_ADMIN_TOKEN>" header is required' };
    }
    return undefined;
  }

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const refused = this.refusal(request.method, request.headers.authorization);
    if (refused?.status === 404) throw new NotFoundException(refused.message);
    if (refused) throw new UnauthorizedException(refused.message);
    return true;
  }
}

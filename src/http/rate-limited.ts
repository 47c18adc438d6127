import { RouteConfig } from '@nestjs/platform-fastify';

/**
 * Marks a route for the per-client-IP limit (RATE_LIMIT_PER_MINUTE). The limit itself is registered
 * once in `configureApp`; routes without this mark (probes, scrapes, reads) are never limited.
 */
export const RateLimited = () => RouteConfig({ rateLimit: {} });

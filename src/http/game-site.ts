import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyHelmet from '@fastify/helmet';
import fastifyStatic from '@fastify/static';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';

/** Where `vite build` puts the game, from both `src/http` (tests) and `dist/http` (production). */
export const GAME_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'web', 'dist');

/** Content-hashed files never change under their name; index.html must be revalidated on every load. */
const IMMUTABLE = 'public, max-age=31536000, immutable';
const REVALIDATE = 'no-cache';

/**
 * The page's security headers and a strict Content-Security-Policy: the game's scripts, styles and
 * images come from this origin only, nothing inline, no frames, API calls to this origin only.
 */
const HELMET_OPTIONS = {
  contentSecurityPolicy: {
    useDefaults: false,
    directives: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'"],
      imgSrc: ["'self'"],
      connectSrc: ["'self'"],
      fontSrc: ["'self'"],
      objectSrc: ["'none'"],
      baseUri: ["'none'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
    },
  },
};

/**
 * Serves the built game at `/` and `/assets/…` on the API's origin. Each file gets its own route
 * (no wildcard), so metrics label static requests by file and unknown paths stay 404s. Helmet is
 * registered in the same encapsulated scope: the page gets its headers, while the JSON API does not
 * pay for a CSP it has no use for (helmet rebuilds its headers on every request).
 */
export async function serveGame(app: NestFastifyApplication, logger: Logger, root = GAME_DIR): Promise<void> {
  if (!existsSync(join(root, 'index.html'))) {
    logger.warn({ root }, 'the game is not built (run `npm run build`): GET / will answer 404');
    return;
  }
  await app.register(async (scope: FastifyInstance) => {
    await scope.register(fastifyHelmet, HELMET_OPTIONS);
    await scope.register(fastifyStatic, {
      root,
      wildcard: false,
      index: ['index.html'],
      cacheControl: false,
      setHeaders: (reply, path) => {
        reply.header('cache-control', path.includes(join('dist', 'assets')) ? IMMUTABLE : REVALIDATE);
      },
    });
  });
}

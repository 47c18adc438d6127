import type { Server } from 'node:http';
import { isIP, type Socket } from 'node:net';
import { HttpException, HttpStatus } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import fastifyRateLimit from '@fastify/rate-limit';
import type { SpanContext } from '@opentelemetry/api';
import { type FastifyInstance, type FastifyReply, type FastifyRequest, LogController } from 'fastify';
import type { Logger } from 'pino';
import { AppModule } from './app.module.ts';
import { clip, sendError } from './http/error-response.ts';
import { BODY_LIMIT_BYTES } from './http/fastify-errors.ts';
import { serveGame } from './http/game-site.ts';
import { useJsonBodiesOnly } from './http/json-body-parser.ts';
import { ClientErrors } from './http/client-errors.ts';
import { HTTP_TIMEOUTS } from './http/connection-limits.ts';
import { refusedOnPublicListener } from './http/public-listener.ts';
import { ShutdownState } from './health/shutdown-state.ts';
import { ChaosAdminGuard } from './chaos/chaos-admin.guard.ts';
import { CHAOS_ADMIN_PATH } from './chaos/chaos.controller.ts';
import { ChaosService } from './chaos/chaos.service.ts';
import type { AppConfig } from './config/config.schema.ts';
import { HttpMetrics } from './metrics/http-metrics.ts';
import { PinoNestLogger } from './telemetry/nest-logger.ts';
import { REQUEST_ID_HEADER, requestIdOf } from './telemetry/request-id.ts';
import { traceRequests } from './telemetry/request-tracing.ts';
import { sampledServerSpan } from './telemetry/server-span.ts';
import { isOperationalPath } from './telemetry/untraced-routes.ts';


/** Creates the application exactly as production runs it; `main.ts` and the tests both call this. */
export async function createApp(config: AppConfig, logger: Logger): Promise<NestFastifyApplication> {
  const clientErrors = new ClientErrors();
  const adapter = new FastifyAdapter({
    // Timeouts on the one server both ports feed (see HTTP_TIMEOUTS for why each value).
    keepAliveTimeout: HTTP_TIMEOUTS.keepAliveMs,
    requestTimeout: config.requestTimeoutMs,
    connectionTimeout: HTTP_TIMEOUTS.idleSocketMs,
    // What Fastify has no option for; it sets keepAliveTimeout and requestTimeout itself, from the above.
    http: {
      headersTimeout: Math.min(HTTP_TIMEOUTS.headersMs, config.requestTimeoutMs),
      connectionsCheckingInterval: HTTP_TIMEOUTS.checkIntervalMs,
    },
    clientErrorHandler: clientErrors.handle,
    loggerInstance: logger,
    genReqId: requestIdOf as (req: unknown) => string,
    // Fastify's own request lines are off: `logAccess` writes one line per response instead.
    logController: new LogController({ requestIdLogLabel: 'request_id', disableRequestLogging: true }),
    bodyLimit: BODY_LIMIT_BYTES,
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    trustProxy: config.trustProxy,
    // Requests that reach an open keep-alive connection while we drain are still served.
    return503OnClosing: false,
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config, logger), adapter, {
    logger: new PinoNestLogger(logger),
    bodyParser: false,
    abortOnError: false,
  });
  await configureApp(app, config, logger);
  const metrics = app.get(HttpMetrics);
  clientErrors.bind(metrics);
  // A socket idle past HTTP_TIMEOUTS.idleSocketMs: counted, then closed (a listener replaces Node's own close).
  (app.getHttpServer() as Server).on('timeout', (socket: Socket) => {
    metrics.connectionClosed('idle_timeout');
    socket.destroy();
  });
  return app;
}

/**
 * The request pipeline, in the order a request meets it:
 * request id (adapter genReqId) → server span (when tracing is on) → echo header → rate limit (marked POST routes)
 * → chaos (targeted routes, before the body is read) → JSON body parsing (16 KiB, prototype poisoning
 * refused) → Nest validation pipes → controller → response → metrics and access log for every response.
 * The game's static files (`/`, `/assets/…`) are routes of their own beside the API's, with helmet's
 * security headers and CSP in their scope.
 * Errors from any step, Fastify's own included, reach the global HttpExceptionFilter.
 */
export async function configureApp(app: NestFastifyApplication, config: AppConfig, logger: Logger): Promise<void> {
  const fastify = app.getHttpAdapter().getInstance() as unknown as FastifyInstance;
  const chaos = app.get(ChaosService);
  const metrics = app.get(HttpMetrics);
  const shutdown = app.get(ShutdownState);
  const adminGuard = app.get(ChaosAdminGuard);
  const refused = new WeakSet<FastifyRequest>();

  // First, so every other hook (refusals included) runs inside the request's server span.
  if (config.tracing) traceRequests(fastify);
  useJsonBodiesOnly(fastify);

  fastify.addHook('onRequest', (request, reply, done) => {
    reply.header(REQUEST_ID_HEADER, request.id).header('x-content-type-options', 'nosniff');
    // The public port reaches the game and the player API only; nothing else exists there.
    if (refusedOnPublicListener(request.raw)) {
      refused.add(request);
      sendError(reply, 404, 'not found');
      return;
    }
    // RFC 9112: a request with more than one Host is invalid (Node keeps the first and drops the rest).
    if (hostHeaders(request.raw.rawHeaders) > 1) {
      sendError(reply, 400, 'more than one Host header');
      return;
    }
    // The admin API checks its token before any body is read: no 16 KiB parse for an anonymous client.
    if (request.routeOptions.url === CHAOS_ADMIN_PATH) {
      const refusal = adminGuard.refusal(request.method, request.headers.authorization);
      if (refusal) {
        sendError(reply, refusal.status, refusal.message);
        return;
      }
    }
    done();
  });

  // Once shutdown begins, every answer tells keep-alive clients (browsers, load balancers, fetch) to
  // reconnect elsewhere; otherwise their idle connections would hold the process until its deadline.
  fastify.addHook('onSend', (_request, reply, payload, done) => {
    if (shutdown.shuttingDown) reply.header('connection', 'close');
    done(null, payload);
  });

  if (config.rateLimitPerMinute > 0) {
    await app.register(fastifyRateLimit as never, {
      global: false,
      max: config.rateLimitPerMinute,
      timeWindow: 60_000,
      keyGenerator: rateLimitKey,
      // At most this many clients are remembered per route (least recently seen go first); every key
      // is an IP address (at most 45 characters), so the limiter's memory is bounded in bytes too.
      cache: RATE_LIMIT_CLIENTS,
      errorResponseBuilder: (_request: FastifyRequest, limit: { max: number; after: string }) =>
        new HttpException(
          `rate limit exceeded: at most ${limit.max} requests per minute from one client; retry in ${limit.after}`,
          HttpStatus.TOO_MANY_REQUESTS,
        ),
    });
  }

  await serveGame(app, logger);

  // Callback-style hooks: they run on every request, and most requests are not targeted by chaos.
  fastify.addHook('preParsing', (request, reply, payload, done) => {
    if (!chaos.targets(request)) return done(null, payload);
    chaos.intercept(request, reply).then(
      (answered) => (answered ? undefined : done(null, payload)),
      (error: Error) => done(error),
    );
  });

  fastify.addHook('onResponse', (request, reply, done) => {
    const route = refused.has(request) ? undefined : request.routeOptions.url;
    const sampled = sampledServerSpan(request.raw);
    metrics.record(route, request.method, reply.statusCode, reply.elapsedTime / 1000, sampled?.traceId);
    logAccess(request, reply, sampled);
    done();
  });
}

function hostHeaders(rawHeaders: string[]): number {
  let count = 0;
  for (let i = 0; i < rawHeaders.length; i += 2) if ((rawHeaders[i] as string).length === 4 && rawHeaders[i]!.toLowerCase() === 'host') count++;
  return count;
}

/** Clients the rate limiter remembers per route. */
const RATE_LIMIT_CLIENTS = 10_000;

/**
 * The limiter's key: the client address Fastify derived under TRUST_PROXY, only if it is an IP
 * address. Whatever else a forwarded header carries (a 15 KiB string, a host name) is never a key:
 * the request counts against the address it came from.
 */
function rateLimitKey(request: FastifyRequest): string {
  return isIP(request.ip) ? request.ip : (request.socket.remoteAddress ?? 'unknown');
}

/**
 * One line per response; probes and scrapes at debug so they do not drown the requests that matter. A
 * sampled request's line carries its trace's ids, as lines written inside the request do (onResponse
 * runs after the response stream finished, outside the request's trace context).
 */
function logAccess(request: FastifyRequest, reply: FastifyReply, sampled: SpanContext | undefined): void {
  // The matched route, not the raw URL: no query string to strip on every response.
  const level = isOperationalPath(request.routeOptions.url) ? 'debug' : 'info';
  if (!(request.log as unknown as Logger).isLevelEnabled(level)) return;
  request.log[level](
    {
      method: request.method,
      route: request.routeOptions.url,
      url: clip(request.url, 256),
      status: reply.statusCode,
      duration_ms: Math.round(reply.elapsedTime * 100) / 100,
      ...(sampled && { trace_id: sampled.traceId, span_id: sampled.spanId }),
    },
    'request completed',
  );
}

import 'reflect-metadata';
import type { Server as HttpServer } from 'node:http';
import type { Server } from 'node:net';
import { createApp } from './app.ts';
import { ConfigError, parseConfig } from './config/config.schema.ts';
import { describeDatabase } from './config/database.config.ts';
import { connectionCaps, descriptorLimit } from './http/connection-limits.ts';
import { drainPublic, listenPublic } from './http/public-listener.ts';
import { installShutdownHandlers, SPAN_EXPORT_AT_EXIT_MS } from './shutdown.ts';
import { createLogger } from './telemetry/logger.ts';

async function bootstrap(): Promise<void> {
  let config;
  try {
    config = parseConfig(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(2);
  }
  // Before the application, so its first request is traced; the SDK is only loaded when tracing is on.
  const tracing = config.tracing && (await import('./telemetry/tracing.ts')).startTracing(config.tracing);
  const logger = createLogger(config.logLevel);
  const app = await createApp(config, logger);
  let publicServer: Server | undefined;
  installShutdownHandlers(app, {
    delayMs: config.shutdownDelayMs,
    logger,
    beforeClose: () => drainPublic(publicServer, app.getHttpServer()),
    // Spans lost to a collector that is down are worth a warning, not a failed stop.
    finally: async () => {
      try {
        await tracing?.shutdown(SPAN_EXPORT_AT_EXIT_MS);
      } catch (error) {
        logger.warn({ err: error }, 'spans not exported at shutdown');
      }
    },
    cutConnections: () => (app.getHttpServer() as HttpServer).closeAllConnections(),
  });
  await listenOrExit(() => app.listen({ port: config.port, host: config.host }), 'PORT', config.port, config.host);
  if (config.publicPort !== undefined) {
    const { publicPort } = config;
    publicServer = await listenOrExit(() => listenPublic(app.getHttpServer(), publicPort, config.host, logger), 'PUBLIC_PORT', publicPort, config.host);
  }
  const caps = connectionCaps(descriptorLimit(), publicServer !== undefined);
  (app.getHttpServer() as HttpServer).maxConnections = caps.main;
  if (publicServer) publicServer.maxConnections = caps.public as number;
  logger.info({ max_connections: caps }, 'connection caps (below the open-file limit, probes keep a share of their own)');
  const url = browsableUrl(config.host, boundPort(app.getHttpServer()) ?? config.port);
  const publicUrl = publicServer && browsableUrl(config.host, boundPort(publicServer) ?? (config.publicPort as number));
  logger.info({ url, public_url: publicUrl, db: config.postgres ? describeDatabase(config.postgres) : config.scoreDbPath }, `drafty-bird ready → ${url}`);
  // Log lines go out in blocks (LOG_OUTPUT): the start-up's are written now, so "ready" shows when it is.
  logger.flush();
}

/** A port that cannot be bound is an operator's fix, not a stack trace: name the variable and exit 1. */
async function listenOrExit<T>(listen: () => Promise<T>, variable: string, port: number, host: string): Promise<T> {
  try {
    return await listen();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EADDRINUSE' && code !== 'EACCES' && code !== 'EADDRNOTAVAIL') throw error;
    const why = code === 'EADDRINUSE' ? 'is already in use' : code === 'EACCES' ? 'may not be bound by this user' : 'is not an address of this machine';
    process.stderr.write(`drafty-bird: cannot listen on ${host}:${port} (${code}): the port ${why}; set ${variable} to another port${code === 'EADDRNOTAVAIL' ? ' or HOST to a local address' : ''}\n`);
    process.exit(1);
  }
}

function boundPort(server: Server | HttpServer): number | undefined {
  const address = server.address();
  return typeof address === 'object' && address ? address.port : undefined;
}

/** The address a person on this machine can open: a wildcard bind is reachable as localhost. */
function browsableUrl(host: string, port: number): string {
  const name = host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host;
  return `http://${name}:${port}`;
}

await bootstrap();

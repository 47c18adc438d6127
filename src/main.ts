import 'reflect-metadata';
import type { Server } from 'node:http';
import { createApp } from './app.js';
import { ConfigError, parseConfig } from './config/config.schema.js';
import { closePublic, listenPublic } from './http/public-listener.js';
import { installShutdownHandlers } from './shutdown.js';
import { createLogger } from './telemetry/logger.js';
// Already started by `node --import ./dist/telemetry/tracing.js`; imported for its shutdown handle.
import { shutdownTracing } from './telemetry/tracing.js';

async function bootstrap(): Promise<void> {
  let config;
  try {
    config = parseConfig(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(2);
  }
  const logger = createLogger(config.logLevel);
  const app = await createApp(config, logger);
  let publicServer: Server | undefined;
  installShutdownHandlers(app, {
    delayMs: config.shutdownDelayMs,
    logger,
    beforeClose: () => closePublic(publicServer),
    finally: shutdownTracing,
  });
  await app.listen({ port: config.port, host: config.host });
  if (config.publicPort !== undefined) {
    publicServer = await listenPublic(app.getHttpServer(), config.publicPort, config.host, logger);
  }
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  logger.info({ port, host: config.host, db: config.scoreDbPath }, `drafty-bird listening on http://${config.host}:${port}`);
}

await bootstrap();

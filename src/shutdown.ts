import { setTimeout as sleep } from 'node:timers/promises';
import type { INestApplication } from '@nestjs/common';
import type { Logger } from 'pino';
import { ShutdownState } from './health/shutdown-state.ts';
import { SHUTDOWN_DEADLINE_MS } from './surface.ts';

/** Kept after the drain for closing the database and flushing spans. */
const SHUTDOWN_MARGIN_MS = 3_000;

/**
 * How long the last step may spend exporting the spans still held, within the margin above: a
 * collector that is down would otherwise be retried for OTLP's 10 s and push the exit past the deadline.
 */
export const SPAN_EXPORT_AT_EXIT_MS = 2_000;

export interface ShutdownOptions {
  delayMs: number;
  logger: Logger;
  /** Runs right before the main server closes: drains the public listener while the database is open. */
  beforeClose: () => Promise<void>;
  /** Last step after the server and database are closed (flushing spans). */
  finally: () => Promise<void>;
  /** Destroys every connection still open: requests that outlived the drain budget (stalled clients). */
  cutConnections: () => void;
}

/** Exit status after a second signal: the shell's convention for "interrupted" (128 + SIGINT). */
export const INTERRUPTED_EXIT_CODE = 130;

/**
 * A signal repeated within this window is the same interrupt delivered twice: on Ctrl-C the terminal
 * signals the whole process group and `npm start` forwards its own copy to the server.
 */
export const DUPLICATE_SIGNAL_MS = 500;

/**
 * SIGTERM (Kubernetes, docker stop): readiness turns 503 at once and every answer from then on carries
 * `Connection: close`; the service keeps serving for `delayMs` while load balancers and endpoints stop
 * sending traffic; then it stops accepting connections, finishes every in-flight request, closes the
 * idle kept-alive connections, closes the database, flushes spans and exits 0. A hard deadline exits 1.
 * SIGINT (Ctrl-C in a terminal) does the same without the delay: no load balancer is draining a
 * process someone runs by hand. A second signal exits at once.
 */
export function installShutdownHandlers(app: INestApplication, options: ShutdownOptions): void {
  let startedAt: number | undefined;
  const begin = async (signal: NodeJS.Signals) => {
    if (startedAt !== undefined) {
      if (Date.now() - startedAt < DUPLICATE_SIGNAL_MS) return;
      options.logger.warn({ signal }, 'second signal: exiting without waiting for the drain');
      options.logger.flush();
      process.exit(INTERRUPTED_EXIT_CODE);
    }
    startedAt = Date.now();
    const delayMs = signal === 'SIGINT' ? 0 : options.delayMs;
    const deadline = setTimeout(() => {
      options.logger.fatal({ deadline_ms: SHUTDOWN_DEADLINE_MS }, 'shutdown did not finish in time; exiting');
      options.logger.flush();
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS);
    deadline.unref();

    app.get(ShutdownState).begin();
    options.logger.info({ signal, delay_ms: delayMs }, 'shutdown requested: not ready, draining');
    await sleep(delayMs);
    options.logger.info('closing the server; finishing in-flight requests');
    // A stalled client (a body that never ends) must not hold the exit past the deadline: what is still
    // open when the drain budget runs out is cut, and shutdown completes with exit 0.
    const budget = Math.max(0, SHUTDOWN_DEADLINE_MS - SHUTDOWN_MARGIN_MS - (Date.now() - startedAt));
    const cut = setTimeout(() => {
      options.logger.warn({ budget_ms: budget }, 'drain budget spent: closing the connections still open');
      options.cutConnections();
    }, budget);
    cut.unref();
    await options.beforeClose();
    await app.close();
    clearTimeout(cut);
    await options.finally();
    options.logger.info('shutdown complete');
    options.logger.flush();
    process.exit(0);
  };
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => void begin(signal));
  }
}

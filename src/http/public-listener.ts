import { once } from 'node:events';
import type { IncomingMessage, Server } from 'node:http';
import { createServer, type Server as NetServer, type Socket } from 'node:net';
import type { Logger } from 'pino';
import { PREFIX_ROUTES, PUBLIC_EXACT_ROUTES } from '../surface.ts';
import { pathOf } from './url-path.ts';

/**
 * What the outside world may reach: the game and the player API, plus /healthz so a load balancer can
 * health-check the very port it sends traffic to (liveness says nothing but "ok"). Readiness, /metrics
 * and /chaos are for the cluster only.
 */
const PUBLIC_EXACT: ReadonlySet<string> = new Set(PUBLIC_EXACT_ROUTES);

export function isPublicPath(url: string | undefined): boolean {
  const path = pathOf(url ?? '/') as string;
  // Refuse dot segments and encoded slashes outright rather than guess how a router would normalise them.
  if (/\/\.\.?(\/|$)|%2e|%2f|%5c|\\/i.test(path)) return false;
  return PUBLIC_EXACT.has(path) || PREFIX_ROUTES.some((prefix) => path.startsWith(prefix) && path.length > prefix.length);
}

const publicSockets = new WeakSet<object>();

/** True for requests that arrived on the public listener. */
function arrivedOnPublicListener(req: IncomingMessage): boolean {
  return publicSockets.has(req.socket);
}

/** True when a request came in through the public port for something the outside may not reach. */
export function refusedOnPublicListener(req: IncomingMessage): boolean {
  return arrivedOnPublicListener(req) && !isPublicPath(req.url);
}

/**
 * A second port for traffic from outside the cluster (NodePort, load balancer). It accepts TCP
 * connections and hands each one to the main HTTP server (Node's documented `'connection'` injection),
 * so every request on it is parsed, timed out, instrumented, traced, logged, counted and drained by the
 * one server and pipeline the main port uses. The Fastify pipeline answers 404 to anything but public
 * paths on these connections (see `refusedOnPublicListener`), so /metrics and /chaos cannot be reached
 * through the exposure path whatever sits in front of it (kind's NodePort has no path rules at all).
 */
export async function listenPublic(main: Server, port: number, host: string, logger: Logger): Promise<NetServer> {
  const server = createServer({ noDelay: true }, (socket: Socket) => {
    publicSockets.add(socket);
    main.emit('connection', socket);
  });
  server.listen(port, host);
  await Promise.race([once(server, 'listening'), once(server, 'error').then(([error]) => Promise.reject(error as Error))]);
  logger.info({ port, host }, 'public listener: game and player API only');
  return server;
}

/** How often idle public connections are closed while the public port drains. */
const DRAIN_POLL_MS = 50;

/**
 * Stops accepting on the public port and waits until every connection it accepted has ended: busy
 * ones end after their answer (which carries `Connection: close` once shutdown has begun), idle ones
 * are closed as soon as they are idle. The main server's own close does not wait for connections it
 * was handed, so this must finish before the application (and its database) closes.
 */
export async function drainPublic(server: NetServer | undefined, main: Server): Promise<void> {
  if (!server) return;
  const closed = once(server, 'close');
  server.close();
  const sweep = setInterval(() => main.closeIdleConnections(), DRAIN_POLL_MS);
  main.closeIdleConnections();
  try {
    await closed;
  } finally {
    clearInterval(sweep);
  }
}

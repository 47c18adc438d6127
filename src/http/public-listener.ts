import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Logger } from 'pino';
import { requestIdOf } from '../telemetry/request-id.js';
import { pathOf } from './url-path.js';

/**
 * What the outside world may reach: the game and the player API, plus /healthz so a load balancer can
 * health-check the very port it sends traffic to (liveness says nothing but "ok"). Readiness, /metrics
 * and /chaos are for the cluster only.
 */
const PUBLIC_EXACT = new Set(['/', '/index.html', '/favicon.svg', '/score', '/leaderboard', '/game-start', '/healthz']);
const PUBLIC_PREFIXES = ['/assets/'];

export function isPublicPath(url: string | undefined): boolean {
  const path = pathOf(url ?? '/') as string;
  // Refuse dot segments and encoded slashes outright rather than guess how a router would normalise them.
  if (/\/\.\.?(\/|$)|%2e|%2f|%5c|\\/i.test(path)) return false;
  return PUBLIC_EXACT.has(path) || PUBLIC_PREFIXES.some((prefix) => path.startsWith(prefix) && path.length > prefix.length);
}

const publicSockets = new WeakSet<Socket>();

/** True for requests that arrived on the public listener (their span is opened by the main server). */
export function arrivedOnPublicListener(req: IncomingMessage): boolean {
  return publicSockets.has(req.socket);
}

/**
 * A second listener for traffic from outside the cluster (NodePort, load balancer). It hands public
 * paths to the very same Fastify server — same pipeline, metrics, logs and traces — and answers
 * everything else 404 itself, so /metrics and /chaos cannot be reached through the exposure path
 * whatever sits in front of it (kind's NodePort has no path rules at all).
 */
export async function listenPublic(main: Server, port: number, host: string, logger: Logger): Promise<Server> {
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    if (isPublicPath(req.url)) {
      main.emit('request', req, res);
      return;
    }
    const requestId = requestIdOf(req);
    res.writeHead(404, { 'content-type': 'application/json; charset=utf-8', 'x-request-id': requestId });
    res.end(JSON.stringify({ error: 'not found', request_id: requestId }));
  });
  server.on('connection', (socket: Socket) => publicSockets.add(socket));
  server.listen(port, host);
  await once(server, 'listening');
  logger.info({ port, host }, 'public listener: game and player API only');
  return server;
}

/** Stops accepting on the public port and lets its in-flight requests finish. */
export async function closePublic(server: Server | undefined): Promise<void> {
  if (!server) return;
  const closed = once(server, 'close');
  server.close();
  server.closeIdleConnections();
  await closed;
}

import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const REQUEST_ID_HEADER = 'x-request-id';

const ACCEPTABLE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Keeps a caller's id when it is safe to log and echo; anything else is replaced by a fresh UUID. */
export function resolveRequestId(incoming: string | string[] | undefined): string {
  return typeof incoming === 'string' && ACCEPTABLE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
}

/** Fastify's `genReqId`: the id on the log lines, the server span and the response header. */
export function requestIdOf(req: IncomingMessage): string {
  return resolveRequestId(req.headers[REQUEST_ID_HEADER]);
}

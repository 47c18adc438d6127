import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const REQUEST_ID_HEADER = 'x-request-id';

const ACCEPTABLE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Keeps a caller's id when it is safe to log and echo; anything else is replaced by a fresh UUID. */
export function resolveRequestId(incoming: string | string[] | undefined): string {
  return typeof incoming === 'string' && ACCEPTABLE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
}

const assigned = new WeakMap<IncomingMessage, string>();

/**
 * The request id of a raw Node request, decided once. The HTTP server span (created by the
 * instrumentation before Fastify sees the request) and Fastify's `genReqId` both ask here, so the span
 * attribute, the log lines and the response header always carry the same id.
 */
export function requestIdOf(req: IncomingMessage): string {
  let id = assigned.get(req);
  if (id === undefined) {
    id = resolveRequestId(req.headers[REQUEST_ID_HEADER]);
    assigned.set(req, id);
  }
  return id;
}

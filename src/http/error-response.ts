import type { FastifyReply } from 'fastify';

/** The one error body of the API: a reason a person can act on, and the id to find the request by. */
export interface ErrorBody {
  error: string;
  request_id: string;
  chaos?: true;
  /** A machine-readable cause where clients act on it (a refused score's reason). */
  reason?: string;
}

/** Keeps echoed client input (paths, field values) short enough to read in a log or an alert. */
export function clip(text: string, max = 200): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

export function sendError(reply: FastifyReply, status: number, message: string, extra?: Pick<ErrorBody, 'chaos' | 'reason'>): FastifyReply {
  const body: ErrorBody = { error: message, request_id: reply.request.id, ...extra };
  return reply.code(status).type('application/json; charset=utf-8').send(body);
}

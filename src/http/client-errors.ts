import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { ConnectionCloseReason } from '../metrics/metric-names.ts';
import { UNPARSED_METHOD } from '../metrics/metric-names.ts';
import type { ErrorBody } from './error-response.ts';

/** What the server says, and why it closes, when Node's HTTP parser refuses the bytes it got. */
const PARSER_ERRORS: Record<string, { status: number; message: string; reason: ConnectionCloseReason }> = {
  HPE_HEADER_OVERFLOW: { status: 431, message: 'request headers too large', reason: 'header_too_large' },
  ERR_HTTP_REQUEST_TIMEOUT: { status: 408, message: 'request not received in time', reason: 'request_timeout' },
};
const MALFORMED = { status: 400, message: 'malformed HTTP request', reason: 'malformed_request' as const };

export interface ClientErrorSink {
  /** Counts the response like every other (route `unmatched`, method `unparsed`). */
  record(route: undefined, method: string, status: number, seconds: number): void;
  connectionClosed(reason: ConnectionCloseReason): void;
}

/**
 * Fastify's `clientErrorHandler`: requests the HTTP parser rejects (malformed, oversized headers,
 * too slow) get the API's one error body with a request id, are counted in http_requests_total and
 * in http_connections_closed_total, and the connection is closed. The sink is bound once the
 * application (and its metrics) exist.
 */
export class ClientErrors {
  private sink?: ClientErrorSink;

  bind(sink: ClientErrorSink): void {
    this.sink = sink;
  }

  readonly handle = (error: Error & { code?: string }, socket: Socket): void => {
    if (error.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const { status, message, reason } = PARSER_ERRORS[error.code ?? ''] ?? MALFORMED;
    const requestId = randomUUID();
    const body: ErrorBody = { error: message, request_id: requestId };
    const text = JSON.stringify(body);
    socket.end(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\ncontent-type: application/json; charset=utf-8\r\n` +
        `content-length: ${Buffer.byteLength(text)}\r\nx-request-id: ${requestId}\r\nconnection: close\r\n\r\n${text}`,
    );
    this.sink?.record(undefined, UNPARSED_METHOD, status, 0);
    this.sink?.connectionClosed(reason);
  };
}

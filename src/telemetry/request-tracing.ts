import { context, propagation, ROOT_CONTEXT, type Span, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import {
  ATTR_CLIENT_ADDRESS,
  ATTR_ERROR_TYPE,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_REQUEST_METHOD_ORIGINAL,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_HTTP_ROUTE,
  ATTR_NETWORK_PEER_ADDRESS,
  ATTR_NETWORK_PEER_PORT,
  ATTR_NETWORK_PROTOCOL_VERSION,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
  ATTR_URL_PATH,
  ATTR_URL_QUERY,
  ATTR_URL_SCHEME,
  ATTR_USER_AGENT_ORIGINAL,
} from '@opentelemetry/semantic-conventions';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { clip } from '../http/error-response.ts';
import { pathOf } from '../http/url-path.ts';
import { rememberServerSpan, serverSpanOf } from './server-span.ts';
import { isOperationalPath } from './untraced-routes.ts';

const tracer = trace.getTracer('drafty-bird');

/** The methods semantic conventions name as they are; any other is reported as `_OTHER`. */
const KNOWN_METHODS: ReadonlySet<string> = new Set(['CONNECT', 'DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT', 'TRACE', 'QUERY']);

/** Long enough for any real path or user agent; a 15 KiB hostile one is clipped on the span too. */
const MAX_ATTRIBUTE_CHARS = 256;

/**
 * One server span per request, from Fastify's own hooks (see tracing.ts for why not the generic HTTP
 * instrumentation): opened when the request arrives, before any other hook, so a refused request
 * (404 on the public port, 401 on /chaos, 400 for two Host headers) is traced like any other; ended
 * when the response has been sent or the client went away. A caller's W3C `traceparent`/`tracestate`
 * (and baggage) are honoured: the span continues the caller's trace and keeps its sampling decision.
 * The span carries the stable HTTP semantic-convention attributes and `request.id`; handlers and the
 * custom spans (`score.submit`, `leaderboard.query`, `chaos.inject`) run inside its context.
 * Probes and scrapes are never traced. When the sampler drops a trace, the span is non-recording and
 * nothing beyond the sampling decision is computed.
 */
export function traceRequests(fastify: FastifyInstance): void {
  fastify.addHook('onRequest', (request, reply, done) => {
    if (isOperationalPath(request.routeOptions.url)) return done();
    const parent = propagation.extract(ROOT_CONTEXT, request.headers);
    const span = tracer.startSpan(request.method, { kind: SpanKind.SERVER }, parent);
    if (span.isRecording()) {
      span.setAttributes(requestAttributes(request));
      endIfAborted(span, reply);
    }
    rememberServerSpan(request.raw, span);
    // Everything after this hook runs in the span's context, the handler too: Fastify resumes a body
    // that arrives later in the request's own async scope (its content-type parser is an AsyncResource).
    context.with(trace.setSpan(parent, span), done);
  });

  fastify.addHook('onResponse', (request, reply, done) => {
    const span = serverSpanOf(request.raw);
    if (span?.isRecording()) endWithResponse(span, request, reply);
    done();
  });
}

/**
 * A client that goes away before its response was sent (mid-body, or while the handler waits): the span
 * ends then, as aborted. Only a kept span needs the listener: a dropped one records nothing.
 */
function endIfAborted(span: Span, reply: FastifyReply): void {
  reply.raw.once('close', () => {
    if (reply.raw.writableFinished || !span.isRecording()) return;
    span.setAttribute(ATTR_ERROR_TYPE, 'aborted');
    span.end();
  });
}

function requestAttributes(request: FastifyRequest): Record<string, string | number> {
  const { raw, socket } = request;
  const url = raw.url ?? '/';
  const path = pathOf(url) as string;
  const known = KNOWN_METHODS.has(request.method);
  const attributes: Record<string, string | number> = {
    [ATTR_HTTP_REQUEST_METHOD]: known ? request.method : '_OTHER',
    [ATTR_URL_SCHEME]: request.protocol,
    [ATTR_URL_PATH]: clip(path, MAX_ATTRIBUTE_CHARS),
    [ATTR_SERVER_ADDRESS]: clip(request.hostname, MAX_ATTRIBUTE_CHARS),
    [ATTR_SERVER_PORT]: socket.localPort ?? 0,
    [ATTR_CLIENT_ADDRESS]: request.ip,
    [ATTR_NETWORK_PEER_ADDRESS]: socket.remoteAddress ?? '',
    [ATTR_NETWORK_PEER_PORT]: socket.remotePort ?? 0,
    [ATTR_NETWORK_PROTOCOL_VERSION]: raw.httpVersion,
    'request.id': request.id,
  };
  if (!known) attributes[ATTR_HTTP_REQUEST_METHOD_ORIGINAL] = clip(request.method, MAX_ATTRIBUTE_CHARS);
  if (path.length < url.length) attributes[ATTR_URL_QUERY] = clip(url.slice(path.length + 1), MAX_ATTRIBUTE_CHARS);
  const userAgent = request.headers['user-agent'];
  if (userAgent) attributes[ATTR_USER_AGENT_ORIGINAL] = clip(userAgent, MAX_ATTRIBUTE_CHARS);
  return attributes;
}

/** Names the span `{method} {route}` and records the outcome; 5xx is the server's error, 4xx the client's. */
function endWithResponse(span: Span, request: FastifyRequest, reply: FastifyReply): void {
  const route = request.routeOptions.url;
  const status = reply.statusCode;
  if (route) {
    span.updateName(`${request.method} ${route}`);
    span.setAttribute(ATTR_HTTP_ROUTE, route);
  }
  span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, status);
  if (status >= 500) {
    span.setAttribute(ATTR_ERROR_TYPE, String(status));
    span.setStatus({ code: SpanStatusCode.ERROR });
  }
  span.end();
}

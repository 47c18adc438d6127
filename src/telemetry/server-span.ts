import type { IncomingMessage } from 'node:http';
import { type Span, TraceFlags } from '@opentelemetry/api';

const serverSpans = new WeakMap<IncomingMessage, Span>();

/** Called by the HTTP instrumentation when it opens the server span of a request. */
export function rememberServerSpan(req: IncomingMessage, span: Span): void {
  serverSpans.set(req, span);
}

/**
 * The HTTP server span of a request, if tracing is on. Fastify's hooks run inside @fastify/otel's child
 * span, but runbook searches (`chaos.type`, `request.id`) expect attributes on the server span itself.
 */
export function serverSpanOf(req: IncomingMessage): Span | undefined {
  return serverSpans.get(req);
}

/** The trace id of a request's server span when it is sampled (exported): what an exemplar may point at. */
export function sampledTraceId(req: IncomingMessage): string | undefined {
  const context = serverSpans.get(req)?.spanContext();
  return context && (context.traceFlags & TraceFlags.SAMPLED) === TraceFlags.SAMPLED ? context.traceId : undefined;
}

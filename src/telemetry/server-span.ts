import type { IncomingMessage } from 'node:http';
import { type Span, type SpanContext, TraceFlags } from '@opentelemetry/api';

const serverSpans = new WeakMap<IncomingMessage, Span>();

/** Called by the request tracing hooks when they open a request's server span. */
export function rememberServerSpan(req: IncomingMessage, span: Span): void {
  serverSpans.set(req, span);
}

/** The server span of a request, if tracing is on: runbook searches (`chaos.type`, `request.id`) look there. */
export function serverSpanOf(req: IncomingMessage): Span | undefined {
  return serverSpans.get(req);
}

/**
 * A span's ids when its trace is sampled (exported): what an exemplar or a log line may point at
 * without leading to a trace that does not exist.
 */
export function sampledSpanContext(span: Span | undefined): SpanContext | undefined {
  const spanContext = span?.spanContext();
  return spanContext && (spanContext.traceFlags & TraceFlags.SAMPLED) === TraceFlags.SAMPLED ? spanContext : undefined;
}

/** The ids of a request's server span when it is sampled. */
export function sampledServerSpan(req: IncomingMessage): SpanContext | undefined {
  return sampledSpanContext(serverSpanOf(req));
}

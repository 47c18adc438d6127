import type { IncomingMessage } from 'node:http';
import { type Context, type Span, type SpanContext, trace, TraceFlags } from '@opentelemetry/api';

const serverContexts = new WeakMap<IncomingMessage, Context>();

/** Called by the request tracing hooks when they open a request's server span. */
export function rememberServerContext(req: IncomingMessage, context: Context): void {
  serverContexts.set(req, context);
}

/** The server span of a request, if tracing is on: runbook searches (`chaos.type`, `request.id`) look there. */
export function serverSpanOf(req: IncomingMessage): Span | undefined {
  const context = serverContexts.get(req);
  return context && trace.getSpan(context);
}

/**
 * The ids of a request's server span when it is sampled (exported): what an exemplar or a log line may
 * point at without leading to a trace that does not exist.
 */
export function sampledServerSpan(req: IncomingMessage): SpanContext | undefined {
  const spanContext = serverSpanOf(req)?.spanContext();
  return spanContext && (spanContext.traceFlags & TraceFlags.SAMPLED) === TraceFlags.SAMPLED ? spanContext : undefined;
}

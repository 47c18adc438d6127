import type { IncomingMessage } from 'node:http';
import { type Context, type Span, trace, TraceFlags } from '@opentelemetry/api';

const serverContexts = new WeakMap<IncomingMessage, Context>();

/** Called by the request tracing hooks when they open a request's server span. */
export function rememberServerContext(req: IncomingMessage, context: Context): void {
  serverContexts.set(req, context);
}

/**
 * The trace context whose active span is the request's server span, if the request is traced. Body
 * parsing resumes outside it (the socket's stream events carry the connection's context), so hooks
 * and handlers re-enter it from here.
 */
export function serverContextOf(req: IncomingMessage): Context | undefined {
  return serverContexts.get(req);
}

/** The server span of a request, if tracing is on: runbook searches (`chaos.type`, `request.id`) look there. */
export function serverSpanOf(req: IncomingMessage): Span | undefined {
  const context = serverContexts.get(req);
  return context && trace.getSpan(context);
}

/** The trace id of a request's server span when it is sampled (exported): what an exemplar may point at. */
export function sampledTraceId(req: IncomingMessage): string | undefined {
  const spanContext = serverSpanOf(req)?.spanContext();
  return spanContext && (spanContext.traceFlags & TraceFlags.SAMPLED) === TraceFlags.SAMPLED ? spanContext.traceId : undefined;
}

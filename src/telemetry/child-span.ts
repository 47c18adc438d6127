import { type Span, trace, type Tracer } from '@opentelemetry/api';
import { sampledSpanContext } from './server-span.ts';

/**
 * `tracer.startActiveSpan(name, fn)` for the spans a request opens inside its server span
 * (`score.submit`, `leaderboard.query`). Under a span the sampler dropped, `fn` gets that non-recording
 * span and no child is started: the child would be dropped too — every sampler OTEL_TRACES_SAMPLER
 * offers decides a trace once, from its parent or from its trace id, which the child shares — and
 * starting it would still cost a sampling decision, new ids and a context per request.
 */
export function startActiveChildSpan<T>(tracer: Tracer, name: string, fn: (span: Span) => T): T {
  const parent = trace.getActiveSpan();
  if (parent && !parent.isRecording() && !sampledSpanContext(parent)) return fn(parent);
  return tracer.startActiveSpan(name, fn);
}

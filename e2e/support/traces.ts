import { OtlpReceiver } from '../../scripts/lib/otlp-receiver.ts';

/** A span as the suite sees it, whichever backend it came from. */
export interface TraceSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  /** 'server' for the HTTP server span a request opens; other kinds as their backends name them. */
  kind: string;
  attributes: Record<string, string | number | boolean>;
}

export interface TraceSource {
  /** All spans of the trace whose server span carries `request.id = requestId`, once exported. */
  traceOf(requestId: string): Promise<TraceSpan[] | undefined>;
  /** Every trace id exported so far, where the source can list them (the in-process receiver). */
  traceIdsSeen?(): Promise<Set<string>>;
}

/** Spans the service exported to an OTLP receiver in this process. */
const OTLP_KINDS: Record<number, string> = { 1: 'internal', 2: 'server', 3: 'client', 4: 'producer', 5: 'consumer' };

export class OtlpTraceSource implements TraceSource {
  constructor(readonly receiver: OtlpReceiver) {}

  async traceOf(requestId: string): Promise<TraceSpan[] | undefined> {
    const root = this.receiver.spans.find((span) => span.attributes['request.id'] === requestId);
    if (!root) return undefined;
    return this.receiver.spans
      .filter((span) => span.traceId === root.traceId)
      .map((span) => ({ ...span, kind: OTLP_KINDS[span.kind] ?? 'unspecified' }));
  }

  async traceIdsSeen(): Promise<Set<string>> {
    return new Set(this.receiver.spans.map((span) => span.traceId));
  }
}

type JaegerTag = { key: string; value: string | number | boolean };
type JaegerSpan = { traceID: string; spanID: string; operationName: string; references?: Array<{ refType: string; spanID: string }>; tags: JaegerTag[] };

/** Jaeger's query API (`/api/traces`), as port-forwarded from the cluster. */
export class JaegerTraceSource implements TraceSource {
  constructor(private readonly url: string) {}

  async traceOf(requestId: string): Promise<TraceSpan[] | undefined> {
    const tags = encodeURIComponent(JSON.stringify({ 'request.id': requestId }));
    const res = await fetch(`${this.url}/api/traces?service=drafty-bird&tags=${tags}&limit=1&lookback=1h`);
    if (!res.ok) return undefined;
    const body = (await res.json()) as { data?: Array<{ spans: JaegerSpan[] }> };
    const spans = body.data?.[0]?.spans;
    return spans?.map((span) => ({
      traceId: span.traceID,
      spanId: span.spanID,
      parentSpanId: span.references?.find((ref) => ref.refType === 'CHILD_OF')?.spanID,
      name: span.operationName,
      kind: String(span.tags.find((tag) => tag.key === 'span.kind')?.value ?? 'internal'),
      attributes: Object.fromEntries(span.tags.map((tag) => [tag.key, tag.value])),
    }));
  }
}

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';

export interface ReceivedSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  /** OTLP span kind: 1 internal, 2 server, 3 client. */
  kind: number;
  /** Start, in milliseconds since the epoch. */
  startMs: number;
  attributes: Record<string, string | number | boolean>;
  resource: Record<string, string | number | boolean>;
}

type AnyValue = { stringValue?: string; boolValue?: boolean; intValue?: string | number; doubleValue?: number };
type KeyValue = { key: string; value: AnyValue };

function flatten(attributes: KeyValue[] = []): Record<string, string | number | boolean> {
  return Object.fromEntries(
    attributes.map(({ key, value }) => [
      key,
      value.stringValue ?? value.boolValue ?? (value.intValue !== undefined ? Number(value.intValue) : value.doubleValue ?? ''),
    ]),
  );
}

/** Jaeger's span kinds by OTLP kind, as Jaeger's query API tags them (`span.kind`). */
const JAEGER_KINDS: Record<number, string> = { 1: 'internal', 2: 'server', 3: 'client', 4: 'producer', 5: 'consumer' };

/**
 * An OTLP/HTTP JSON receiver (POST /v1/traces) keeping the last `maxSpans` spans a service really
 * exports, searchable through the part of Jaeger's query API that tools here use —
 * `GET /api/traces?service=…&tags={"key":"value"}&limit=N&start=<µs>` — so the test suite, `npm run
 * observe` and `npm run gameday` look for trace evidence the same way with or without Jaeger.
 */
export class OtlpReceiver {
  readonly spans: ReceivedSpan[] = [];
  private server?: Server;

  private readonly maxSpans: number;

  constructor(maxSpans = 200_000) {
    this.maxSpans = maxSpans;
  }

  async start(port = 0, host = '127.0.0.1'): Promise<string> {
    this.server = createServer((req, res) => this.handle(req, res));
    this.server.listen(port, host);
    await once(this.server, 'listening');
    return `http://${host}:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    this.server?.close();
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    if (req.method === 'GET' && req.url?.startsWith('/api/traces')) {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(this.search(new URL(req.url, 'http://receiver').searchParams)));
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      if (req.url !== '/v1/traces' || !String(req.headers['content-type']).includes('json')) {
        res.writeHead(415).end();
        return;
      }
      try {
        this.collect(JSON.parse(Buffer.concat(chunks).toString('utf8')));
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      } catch {
        res.writeHead(400).end();
      }
    });
  }

  /** Traces with a span whose attributes hold every tag, newest first, in Jaeger's response shape. */
  private search(params: URLSearchParams): { data: unknown[] } {
    const tags = JSON.parse(params.get('tags') ?? '{}') as Record<string, string>;
    const service = params.get('service');
    const startMs = Number(params.get('start') ?? 0) / 1000;
    const limit = Number(params.get('limit') ?? 20);
    const matches = (span: ReceivedSpan) =>
      span.startMs >= startMs &&
      (!service || span.resource['service.name'] === service) &&
      Object.entries(tags).every(([key, value]) => String(span.attributes[key]) === String(value));
    const traceIds: string[] = [];
    for (let i = this.spans.length - 1; i >= 0 && traceIds.length < limit; i--) {
      const span = this.spans[i]!;
      if (matches(span) && !traceIds.includes(span.traceId)) traceIds.push(span.traceId);
    }
    return { data: traceIds.map((traceID) => ({ traceID, spans: this.spans.filter((s) => s.traceId === traceID).map(jaegerSpan), processes: {} })) };
  }

  private collect(body: {
    resourceSpans?: Array<{ resource?: { attributes?: KeyValue[] }; scopeSpans?: Array<{ spans?: Array<Record<string, unknown>> }> }>;
  }): void {
    for (const resourceSpans of body.resourceSpans ?? []) {
      const resource = flatten(resourceSpans.resource?.attributes);
      for (const scope of resourceSpans.scopeSpans ?? []) {
        for (const span of scope.spans ?? []) {
          this.spans.push({
            traceId: String(span.traceId),
            spanId: String(span.spanId),
            parentSpanId: span.parentSpanId ? String(span.parentSpanId) : undefined,
            name: String(span.name),
            kind: Number(span.kind ?? 0),
            startMs: Number(BigInt(String(span.startTimeUnixNano ?? 0)) / 1_000_000n),
            attributes: flatten(span.attributes as KeyValue[]),
            resource,
          });
        }
      }
    }
    // Bounded: a long game day keeps the newest spans, never all of them.
    if (this.spans.length > this.maxSpans) this.spans.splice(0, this.spans.length - this.maxSpans);
  }
}

function jaegerSpan(span: ReceivedSpan) {
  return {
    traceID: span.traceId,
    spanID: span.spanId,
    operationName: span.name,
    startTime: span.startMs * 1000,
    references: span.parentSpanId ? [{ refType: 'CHILD_OF', traceID: span.traceId, spanID: span.parentSpanId }] : [],
    tags: [
      ...Object.entries(span.attributes).map(([key, value]) => ({ key, value })),
      { key: 'span.kind', value: JAEGER_KINDS[span.kind] ?? 'unspecified' },
    ],
  };
}

import type { AddressInfo, Server } from 'node:net';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace';
import { Agent, request } from 'undici';
import { parseConfig } from '../../src/config/config.schema.ts';
import { listenPublic } from '../../src/http/public-listener.ts';
import { SPAN_EXPORT_AT_EXIT_MS } from '../../src/shutdown.ts';
import { createLogger } from '../../src/telemetry/logger.ts';
import { startTracing, type Tracing } from '../../src/telemetry/tracing.ts';
import { startTestApp, type TestApp } from './test-app.ts';

/** W3C trace context a caller sends: its trace and span, and whether it sampled the trace. */
export const CALLER_TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
export const CALLER_SPAN = '00f067aa0ba902b7';
export const traceparent = (sampled: boolean, traceId = CALLER_TRACE) => `00-${traceId}-${CALLER_SPAN}-${sampled ? '01' : '00'}`;

/**
 * The production pipeline traced as the service traces it — settings parsed from OTEL_* variables by
 * the service's own config, the same tracer provider, propagators and context manager — behind the
 * real public listener, driven by a keep-alive client; spans are read back from memory as they end.
 * One per test file: the tracers the modules hold bind to the first provider registered, as in a process.
 */
export function tracedApp() {
  let exporter: InMemorySpanExporter;
  let tracing: Tracing;
  let t: TestApp;
  let publicServer: Server;
  let agent: Agent;
  let origin: string;

  const spansOf = (requestId: string): ReadableSpan[] => {
    const server = exporter.getFinishedSpans().find((span) => span.attributes['request.id'] === requestId);
    return server ? exporter.getFinishedSpans().filter((span) => span.spanContext().traceId === server.spanContext().traceId) : [];
  };

  return {
    async start(env: NodeJS.ProcessEnv): Promise<void> {
      exporter = new InMemorySpanExporter();
      const traceEnv = { OTEL_TRACES_EXPORTER: 'console', ...env };
      tracing = startTracing(parseConfig(traceEnv).tracing!, exporter);
      t = await startTestApp({}, traceEnv);
      await t.app.listen({ port: 0, host: '127.0.0.1' });
      publicServer = await listenPublic(t.app.getHttpServer(), 0, '127.0.0.1', createLogger('silent'));
      origin = `http://127.0.0.1:${(publicServer.address() as AddressInfo).port}`;
      agent = new Agent({ connections: 1, keepAliveTimeout: 30_000 });
    },
    async stop(): Promise<void> {
      await agent.close();
      publicServer.close();
      await t.close();
      await tracing.shutdown(SPAN_EXPORT_AT_EXIT_MS);
    },
    /** A request on the public port, over the one keep-alive connection. */
    async send(path: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}) {
      const res = await request(`${origin}${path}`, { dispatcher: agent, method: (init.method ?? 'GET') as 'GET', headers: init.headers, body: init.body });
      return { status: res.statusCode, text: await res.body.text() };
    },
    exporter: () => exporter,
    app: () => t,
    publicAddress: () => publicServer.address() as AddressInfo,
    /** Every span of the trace whose server span carries this request id. */
    spansOf,
    serverSpan: (spans: ReadableSpan[]) => spans.find((span) => span.kind === 1 /* SERVER */)!,
    parentOf: (span: ReadableSpan) => span.parentSpanContext?.spanId,
  };
}

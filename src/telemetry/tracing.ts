/**
 * OpenTelemetry bootstrap: started by `main.ts` before the application is created.
 *
 * The server span of every request comes from Fastify's own hooks (`request-tracing.ts`), not from
 * monkey-patching Node's http module, so nothing has to load before the application and only the
 * pieces a trace needs are loaded: one tracer provider, the W3C propagators, the async-local context
 * manager and the one exporter configured. (`@opentelemetry/sdk-node` loads every exporter it knows,
 * gRPC and protobuf included, and the generic HTTP instrumentation doubled the cost of a request:
 * bench/RESULTS.md has the figures.)
 *
 * What the OTEL_* variables configure is parsed with the rest of the configuration (tracing.settings.ts).
 * Metrics and logs never go over OTLP: Prometheus scrapes /metrics and logs go to stdout.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { defaultResource, detectResources, processDetector, resourceAttributesEnvDetector, resourceFromAttributes, serviceInstanceIdDetector } from '@opentelemetry/resources';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  BatchSpanProcessor,
  ConsoleSpanExporter,
  ParentBasedSampler,
  type Sampler,
  SimpleSpanProcessor,
  type SpanExporter,
  type SpanProcessor,
  TraceIdRatioBasedSampler,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import type { TracingSettings } from './tracing.settings.ts';

/** The service's name on its spans unless OTEL_SERVICE_NAME or OTEL_RESOURCE_ATTRIBUTES says otherwise. */
const DEFAULT_SERVICE_NAME = 'drafty-bird';

/** The head sampler OTEL_TRACES_SAMPLER names (the specification's values). */
function samplerOf(settings: Pick<TracingSettings, 'sampler' | 'ratio'>): Sampler {
  switch (settings.sampler) {
    case 'always_on':
      return new AlwaysOnSampler();
    case 'always_off':
      return new AlwaysOffSampler();
    case 'traceidratio':
      return new TraceIdRatioBasedSampler(settings.ratio);
    case 'parentbased_always_on':
      return new ParentBasedSampler({ root: new AlwaysOnSampler() });
    case 'parentbased_always_off':
      return new ParentBasedSampler({ root: new AlwaysOffSampler() });
    case 'parentbased_traceidratio':
      return new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(settings.ratio) });
  }
}

function spanProcessor(exporter: TracingSettings['exporter']): SpanProcessor {
  // Console output is for reading traces by hand: each span as it ends. OTLP goes in batches.
  return exporter === 'console' ? new SimpleSpanProcessor({ exporter: new ConsoleSpanExporter() }) : new BatchSpanProcessor({ exporter: new OTLPTraceExporter() });
}

/** The service, its process and whatever OTEL_RESOURCE_ATTRIBUTES adds (the chart: the pod's k8s.*). */
function resourceOf(settings: TracingSettings) {
  return defaultResource()
    .merge(resourceFromAttributes({ 'service.name': DEFAULT_SERVICE_NAME }))
    .merge(detectResources({ detectors: [processDetector, serviceInstanceIdDetector, resourceAttributesEnvDetector] }))
    .merge(settings.serviceName ? resourceFromAttributes({ 'service.name': settings.serviceName }) : null);
}

export interface Tracing {
  /**
   * Exports what is pending and stops; called once the server has stopped. Rejects with why the
   * pending spans were not exported (collector unreachable, or not done within `timeoutMs`).
   */
  shutdown(timeoutMs: number): Promise<void>;
}

/**
 * Registers the global tracer provider, propagators and context manager the settings ask for.
 * `exporter` replaces the configured one, each span exported as it ends (tests read spans from memory).
 */
export function startTracing(settings: TracingSettings, exporter?: SpanExporter): Tracing {
  const contextManager = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(contextManager);
  propagation.setGlobalPropagator(new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()] }));
  const provider = new TracerProvider({ resource: resourceOf(settings), sampler: samplerOf(settings), spanProcessors: [exporter ? new SimpleSpanProcessor({ exporter }) : spanProcessor(settings.exporter)] });
  trace.setGlobalTracerProvider(provider);
  return {
    async shutdown(timeoutMs) {
      try {
        // As the PostgreSQL goodbye does: a bounded wait, the exporter's own failure still reported.
        const exported = provider.shutdown().then(() => true);
        if (!(await Promise.race([exported, sleep(timeoutMs, false, { ref: false })]))) throw new Error(`the exporter was not done after ${timeoutMs} ms`);
      } finally {
        trace.disable();
        propagation.disable();
        context.disable();
      }
    },
  };
}

/**
 * OpenTelemetry bootstrap, loaded before the application with `node --import ./dist/telemetry/tracing.js`
 * so that the http module is instrumented before Fastify loads it.
 *
 * Traces are exported over OTLP/HTTP when an endpoint is configured, or printed to stdout with
 * OTEL_TRACES_EXPORTER=console (the OpenTelemetry convention: read traces without a collector); otherwise
 * the SDK is not started at all, so nothing is exported, nothing is printed and requests pay nothing.
 * Metrics and logs never go over OTLP: Prometheus scrapes /metrics and logs go to stdout.
 */
import type { IncomingMessage } from 'node:http';
import { FastifyOtelInstrumentation } from '@fastify/otel';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { ConsoleSpanExporter } from '@opentelemetry/sdk-trace';
import { requestIdOf } from './request-id.ts';
import { rememberServerSpan } from './server-span.ts';
import { isOperationalPath } from './untraced-routes.ts';

type Exporter = 'otlp' | 'console';

function exporterWanted(env: NodeJS.ProcessEnv): Exporter | undefined {
  if (env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true') return undefined;
  const exporter = env.OTEL_TRACES_EXPORTER?.trim().toLowerCase();
  if (exporter === 'none') return undefined;
  if (exporter === 'console') return 'console';
  return env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ? 'otlp' : undefined;
}

function createSdk(exporter: Exporter): NodeSDK {
  process.env.OTEL_SERVICE_NAME ??= 'drafty-bird';
  process.env.OTEL_METRICS_EXPORTER = 'none';
  process.env.OTEL_LOGS_EXPORTER = 'none';
  return new NodeSDK({
    traceExporter: exporter === 'console' ? new ConsoleSpanExporter() : new OTLPTraceExporter(),
    instrumentations: [
      new HttpInstrumentation({
        // Both listeners' connections are served by the one HTTP server: one server span per request.
        ignoreIncomingRequestHook: (req) => isOperationalPath(req.url),
        // Outgoing calls are only the exporter's own; tracing them would trace the tracer.
        ignoreOutgoingRequestHook: () => true,
        requestHook: (span, req) => {
          if ('headers' in req && !('setHeader' in req)) {
            const incoming = req as IncomingMessage;
            span.setAttribute('request.id', requestIdOf(incoming));
            rememberServerSpan(incoming, span);
          }
        },
      }),
      // One Fastify request span (route, status) per request: a span per hook (~12) or for the handler
      // would multiply the export volume without telling an on-call engineer anything the custom
      // spans (score.submit, leaderboard.query, chaos.inject) do not.
      new FastifyOtelInstrumentation({
        registerOnInitialization: true,
        instrumentHooks: false,
        instrumentHandler: false,
        ignorePaths: (route: { url: string }) => isOperationalPath(route.url),
      }),
    ],
  });
}

const exporter = exporterWanted(process.env);
const sdk = exporter ? createSdk(exporter) : undefined;
sdk?.start();

/** Flushes pending spans; called by the shutdown sequence once the server has stopped. */
export async function shutdownTracing(): Promise<void> {
  await sdk?.shutdown();
}

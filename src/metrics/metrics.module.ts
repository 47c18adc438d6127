import { Global, Module, type OnModuleInit } from '@nestjs/common';
import { type OpenMetricsContentType, register, Registry } from 'prom-client';
import {
  makeCounterProvider,
  makeGaugeProvider,
  makeHistogramProvider,
  PrometheusModule,
} from '@willsoto/nestjs-prometheus';
import { HTTP_DURATION_BUCKETS, METRIC } from './metric-names.ts';
import { HttpMetrics } from './http-metrics.ts';
import { MetricsController } from './metrics.controller.ts';
import { OPERATOR_ROUTES } from '../surface.ts';

// prom-client keeps exemplars only on an OpenMetrics registry, and checks when a metric is created: the
// default registry is one before any metric exists. MetricsController still serves the text format.
(register as unknown as Registry<OpenMetricsContentType>).setContentType(Registry.OPENMETRICS_CONTENT_TYPE);

const metrics = [
  makeCounterProvider({
    name: METRIC.httpRequests,
    help: 'HTTP responses by route template, method and status.',
    labelNames: ['route', 'method', 'status'],
  }),
  makeHistogramProvider({
    name: METRIC.httpDuration,
    help: 'Time from request start to response end, by route template, method and status.',
    labelNames: ['route', 'method', 'status'],
    buckets: HTTP_DURATION_BUCKETS,
    // A slow bucket links to a trace that fell in it (OpenMetrics exposition only: see MetricsController).
    enableExemplars: true,
  }),
  makeCounterProvider({ name: METRIC.gamesStarted, help: 'Games started (POST /game-start).' }),
  makeCounterProvider({ name: METRIC.gamesCompleted, help: 'Games completed: scores stored.' }),
  makeCounterProvider({
    name: METRIC.scoreRejections,
    help: 'Score submissions refused because of their run (missing, invalid, expired, implausible, conflict).',
    labelNames: ['reason'],
  }),
  makeGaugeProvider({ name: METRIC.highScore, help: 'All-time high score, read from the database.' }),
  makeCounterProvider({
    name: METRIC.connectionsClosed,
    help: 'Connections the server closed itself: timeouts and requests the HTTP parser refused.',
    labelNames: ['reason'],
  }),
  makeGaugeProvider({ name: METRIC.chaosEnabled, help: '1 while chaos is enabled (it may still target no request), else 0.' }),
  makeCounterProvider({ name: METRIC.chaosChanges, help: 'Chaos settings changes (PUT /chaos, DELETE /chaos, an expiry): a dashboard annotates each.' }),
  makeGaugeProvider({ name: METRIC.chaosExpiry, help: 'When the time-boxed chaos settings lapse (Unix seconds); 0 when they do not.' }),
  makeCounterProvider({ name: METRIC.chaosExpirations, help: 'Time-boxed chaos settings that lapsed back to the configured baseline.' }),
  makeCounterProvider({
    name: METRIC.chaosInjections,
    help: 'Faults injected by chaos, by type (error or latency).',
    labelNames: ['type'],
  }),
];

/**
 * prom-client's default gauges that break Prometheus naming rules (`_total` on a gauge), so that
 * `promtool check metrics` flags them; each is the sum of a per-type gauge that stays exposed.
 */
const MISNAMED_DEFAULT_METRICS = ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total'];

/** /metrics (Prometheus text, or OpenMetrics with exemplars when asked), with the default process and Node.js metrics. */
@Global()
@Module({
  imports: [PrometheusModule.register({ path: OPERATOR_ROUTES.metrics, defaultMetrics: { enabled: true }, controller: MetricsController })],
  providers: [...metrics, HttpMetrics],
  exports: [...metrics, HttpMetrics],
})
export class MetricsModule implements OnModuleInit {
  onModuleInit(): void {
    for (const name of MISNAMED_DEFAULT_METRICS) register.removeSingleMetric(name);
  }
}

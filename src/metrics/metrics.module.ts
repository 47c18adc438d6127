import { Global, Module, type OnModuleInit } from '@nestjs/common';
import { register } from 'prom-client';
import {
  makeCounterProvider,
  makeGaugeProvider,
  makeHistogramProvider,
  PrometheusModule,
} from '@willsoto/nestjs-prometheus';
import { HTTP_DURATION_BUCKETS, METRIC } from './metric-names.ts';
import { HttpMetrics } from './http-metrics.ts';
import { OPERATOR_ROUTES } from '../surface.ts';

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

/** /metrics in Prometheus text format, with the default process and Node.js metrics. */
@Global()
@Module({
  imports: [PrometheusModule.register({ path: OPERATOR_ROUTES.metrics, defaultMetrics: { enabled: true } })],
  providers: [...metrics, HttpMetrics],
  exports: [...metrics, HttpMetrics],
})
export class MetricsModule implements OnModuleInit {
  onModuleInit(): void {
    for (const name of MISNAMED_DEFAULT_METRICS) register.removeSingleMetric(name);
  }
}

import { Global, Module } from '@nestjs/common';
import {
  makeCounterProvider,
  makeGaugeProvider,
  makeHistogramProvider,
  PrometheusModule,
} from '@willsoto/nestjs-prometheus';
import { HTTP_DURATION_BUCKETS, METRIC } from './metric-names.js';
import { HttpMetrics } from './http-metrics.js';

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
  makeGaugeProvider({ name: METRIC.highScore, help: 'All-time high score, read from the database.' }),
  makeCounterProvider({
    name: METRIC.chaosInjections,
    help: 'Faults injected by chaos, by type (error or latency).',
    labelNames: ['type'],
  }),
];

/** /metrics in Prometheus text format, with the default process and Node.js metrics. */
@Global()
@Module({
  imports: [PrometheusModule.register({ path: '/metrics', defaultMetrics: { enabled: true } })],
  providers: [...metrics, HttpMetrics],
  exports: [...metrics, HttpMetrics],
})
export class MetricsModule {}

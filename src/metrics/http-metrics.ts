import { Injectable } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { Counter, Histogram } from 'prom-client';
import { CONNECTION_CLOSE_REASONS, type ConnectionCloseReason, METRIC, routeLabel } from './metric-names.ts';

/** Records every response, whether a handler, a hook (413, 415, 429, chaos) or the 404 handler sent it. */
@Injectable()
export class HttpMetrics {
  constructor(
    @InjectMetric(METRIC.httpRequests) private readonly requests: Counter<'route' | 'method' | 'status'>,
    // prom-client types exemplar labels as the metric's own label names: trace_id is the exemplar's only.
    @InjectMetric(METRIC.httpDuration) private readonly duration: Histogram<'route' | 'method' | 'status' | 'trace_id'>,
    @InjectMetric(METRIC.connectionsClosed) private readonly closed: Counter<'reason'>,
  ) {
    // Every reason exists from the start: a series born at 1 shows no rate() in Prometheus.
    for (const reason of CONNECTION_CLOSE_REASONS) this.closed.inc({ reason }, 0);
  }

  connectionClosed(reason: ConnectionCloseReason): void {
    this.closed.inc({ reason });
  }

  /**
   * `routeTemplate` is the matched route (`/score`), never the raw URL, to bound label cardinality.
   * `traceId`: the request's sampled trace, kept as the exemplar of the bucket it fell in.
   */
  record(routeTemplate: string | undefined, method: string, status: number, seconds: number, traceId?: string): void {
    const labels = { route: routeLabel(routeTemplate), method, status: String(status) };
    this.requests.inc(labels);
    this.duration.observe({ labels, value: seconds, ...(traceId ? { exemplarLabels: { trace_id: traceId } } : {}) });
  }
}

/** The game day's readings: Prometheus' alerts and queries, Alertmanager's routed alerts, Jaeger's trace search. */
import type { ObservedAlert, RoutedAlert } from './engine.ts';

async function getJson<T>(url: URL): Promise<T> {
  const res = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  if (!res.ok) throw new Error(`GET ${url} answered ${res.status}`);
  return (await res.json()) as T;
}

export interface RangeSeries {
  labels: Record<string, string>;
  points: Array<[number, number]>;
}

export class PrometheusReader {
  private readonly url: string;

  constructor(url: string) {
    this.url = url;
  }

  async ready(): Promise<void> {
    await getJson(new URL('/api/v1/status/buildinfo', this.url));
  }

  async alerts(): Promise<ObservedAlert[]> {
    const body = await getJson<{ data: { alerts: Array<{ labels: Record<string, string>; state: string }> } }>(new URL('/api/v1/alerts', this.url));
    return body.data.alerts
      .filter((a) => a.state === 'pending' || a.state === 'firing')
      .map((a) => ({ name: a.labels.alertname ?? '', labels: a.labels, state: a.state as ObservedAlert['state'] }));
  }

  /** The first sample of an instant query as a number (undefined: empty or NaN). */
  async value(promql: string): Promise<number | undefined> {
    const url = new URL('/api/v1/query', this.url);
    url.searchParams.set('query', promql);
    const body = await getJson<{ data: { resultType: string; result: Array<{ value: [number, string] }> | [number, string] } }>(url);
    const sample = body.data.resultType === 'scalar' ? (body.data.result as [number, string]) : (body.data.result as Array<{ value: [number, string] }>)[0]?.value;
    const value = sample ? Number(sample[1]) : Number.NaN;
    return Number.isFinite(value) ? value : undefined;
  }

  async range(promql: string, startMs: number, endMs: number, stepSeconds: number): Promise<RangeSeries[]> {
    const url = new URL('/api/v1/query_range', this.url);
    url.searchParams.set('query', promql);
    url.searchParams.set('start', String(startMs / 1000));
    url.searchParams.set('end', String(endMs / 1000));
    url.searchParams.set('step', String(stepSeconds));
    const body = await getJson<{ data: { result: Array<{ metric: Record<string, string>; values: Array<[number, string]> }> } }>(url);
    return body.data.result.map((r) => ({ labels: r.metric, points: r.values.map(([t, v]) => [t * 1000, Number(v)] as [number, number]).filter(([, v]) => Number.isFinite(v)) }));
  }
}

export class AlertmanagerReader {
  private readonly url: string;

  constructor(url: string) {
    this.url = url;
  }

  async routed(): Promise<RoutedAlert[]> {
    const url = new URL('/api/v2/alerts', this.url);
    url.searchParams.set('active', 'true');
    const alerts = await getJson<Array<{ labels: Record<string, string>; receivers: Array<{ name: string }> }>>(url);
    return alerts.map((a) => ({ name: a.labels.alertname ?? '', labels: a.labels, receivers: a.receivers.map((r) => r.name) }));
  }
}

/** Jaeger's query API (or `npm run observe`'s receiver, which answers the same search). */
export class TraceSearch {
  private readonly url: string;
  private readonly service: string;

  constructor(url: string, service = 'drafty-bird') {
    this.url = url;
    this.service = service;
  }

  async count(tags: Record<string, string>, sinceMs: number): Promise<number> {
    const url = new URL('/api/traces', this.url);
    url.searchParams.set('service', this.service);
    url.searchParams.set('tags', JSON.stringify(tags));
    url.searchParams.set('start', String(Math.floor(sinceMs * 1000)));
    url.searchParams.set('limit', '20');
    url.searchParams.set('lookback', '1h');
    const body = await getJson<{ data?: unknown[] | null }>(url);
    return body.data?.length ?? 0;
  }
}

import { randomUUID } from 'node:crypto';
import { waitFor } from '../test/support/wait.ts';
import { Client } from './support/client.ts';
import { deploy, type Deployment, localIt } from './support/deployment.ts';

/** Scenario 2: metrics reach Prometheus, traces reach the collector, logs carry the trace id. */
describe('observability', () => {
  let d: Deployment;
  let client: Client;
  beforeAll(async () => {
    d = await deploy({ prometheus: true });
    client = new Client(d);
  });
  afterAll(() => d.stop());

  it('Prometheus has the target up and counts requests per route', async () => {
    if (!d.prometheus) throw new Error('PROMETHEUS_URL is required for this scenario');
    await client.request('/leaderboard');
    await client.post('/game-start', {});
    await client.request('/no-such-route');
    await waitFor('the app target to be up', async () => (await d.prometheus!.appTargetsUp()) > 0, 60_000);
    await waitFor(
      'http_requests_total per route',
      async () => {
        const routes = new Set((await d.prometheus!.query('sum by (route) (http_requests_total{job="drafty-bird"})')).map((r) => r.metric.route));
        return ['/leaderboard', '/game-start', 'unmatched'].every((route) => routes.has(route));
      },
      60_000,
    );
    expect(await d.prometheus.ruleNames()).toEqual(expect.arrayContaining(['DraftyBirdHighErrorRate', 'DraftyBirdHighLatencyP99', 'DraftyBirdDown', 'DraftyBirdChaosInjecting']));
  });

  it('a POST /score produces a trace with its request id and a score.submit span', async () => {
    if (!d.traces) throw new Error('JAEGER_URL is required for this scenario');
    const requestId = `e2e-trace-${randomUUID()}`;
    expect((await client.post('/score', { player: 'Tracer', score: 3 }, { 'x-request-id': requestId })).status).toBe(201);
    let spans: Awaited<ReturnType<NonNullable<Deployment['traces']>['traceOf']>>;
    await waitFor('the trace', async () => (spans = await d.traces!.traceOf(requestId))?.some((s) => s.name === 'score.submit') ?? false, 60_000);
    const server = spans!.find((s) => s.attributes['request.id'] === requestId)!;
    expect(server).toBeDefined();
    expect(spans!.every((s) => s.traceId === server.traceId)).toBe(true);
  });

  localIt('the service log lines of that request carry the same trace_id', async () => {
    const requestId = `e2e-log-${randomUUID()}`;
    await client.post('/score', { score: 4 }, { 'x-request-id': requestId });
    let traceId: string | undefined;
    await waitFor('the trace', async () => {
      traceId = (await d.traces!.traceOf(requestId))?.[0]?.traceId;
      return traceId !== undefined;
    });
    const lines = d.local!.server.logs.filter((line) => line.request_id === requestId);
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line.trace_id).toBe(traceId);
  });
});

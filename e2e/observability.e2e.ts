import { randomBytes, randomUUID } from 'node:crypto';
import { waitFor } from '../test/support/wait.ts';
import { Client } from './support/client.ts';
import { OPERATOR_ROUTES } from '../src/surface.ts';
import { deploy, type Deployment, localIt } from './support/deployment.ts';
import { annotationQueries, overviewDashboard, panelQueries } from '../charts/observability/dashboards.ts';
import type { OtlpTraceSource, TraceSpan } from './support/traces.ts';

/** Scenario 2: metrics reach Prometheus, traces reach the collector, logs carry the trace id. */
describe('observability', () => {
  let d: Deployment;
  let client: Client;
  beforeAll(async () => {
    d = await deploy({ prometheus: true, players: true });
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

  it('every dashboard panel query is valid PromQL with data once players have played (Grafana itself cannot run here)', async () => {
    if (!d.prometheus) throw new Error('PROMETHEUS_URL is required for this scenario');
    console.warn('*** Grafana is NOT run here (no Debian package, no registry): the dashboard JSON is checked by running every panel query on Prometheus ***');
    // Players, so every rate has two scrapes of traffic behind it.
    await waitFor('every panel to have data', async () => {
      await Promise.all([client.request('/leaderboard').then((r) => r.arrayBuffer()), client.post('/game-start', {}).then((r) => r.arrayBuffer())]);
      const empty = [];
      for (const panel of panelQueries(overviewDashboard(), '30s')) if ((await d.prometheus!.query(panel.expr)).length === 0) empty.push(panel.title);
      return empty.length === 0;
    }, 60_000, 1_000).catch(async (error) => {
      const empty = [];
      for (const panel of panelQueries(overviewDashboard(), '30s')) if ((await d.prometheus!.query(panel.expr)).length === 0) empty.push(`${panel.title}: ${panel.expr}`);
      throw new Error(`${(error as Error).message}; still empty:\n${empty.join('\n')}`);
    });
    expect(panelQueries(overviewDashboard(), '30s').length).toBeGreaterThan(15);
    // Annotations are empty until something happens (chaos), but must parse.
    for (const expr of annotationQueries(overviewDashboard())) await d.prometheus.query(expr);
  }, 90_000);

  it('Prometheus stores the latency histogram\'s exemplars: a bucket links to the trace of a request that fell in it', async () => {
    if (!d.prometheus || !d.traces) throw new Error('PROMETHEUS_URL and JAEGER_URL are required for this scenario');
    const requestId = `e2e-exemplar-${randomUUID()}`;
    let exemplars: Awaited<ReturnType<NonNullable<Deployment['prometheus']>['exemplars']>> = [];
    await waitFor('an exemplar with a trace id on the leaderboard buckets', async () => {
      await client.request('/leaderboard', { headers: { 'x-request-id': requestId } }).then((r) => r.arrayBuffer());
      exemplars = await d.prometheus!.exemplars('http_request_duration_seconds_bucket{job="drafty-bird",route="/leaderboard"}');
      return exemplars.some((series) => series.exemplars.length > 0);
    }, 60_000, 1_000);
    const traceIds = exemplars.flatMap((series) => series.exemplars.map((e) => e.labels.trace_id));
    expect(traceIds.every((id) => /^[0-9a-f]{32}$/.test(id ?? ''))).toBe(true);
    // …and each is a trace the service exported: the link from a slow bucket leads somewhere.
    const { server } = await traceWith(requestId, 'leaderboard.query');
    expect(server.traceId).toMatch(/^[0-9a-f]{32}$/);
    const exported = await d.traces.traceIdsSeen?.();
    if (exported) expect(traceIds.filter((id) => exported.has(id as string)).length).toBeGreaterThan(0);
  }, 90_000);

  /** The trace of a request once `child` is in it; exactly one server span carries the request id. */
  const traceWith = async (requestId: string, child: string) => {
    if (!d.traces) throw new Error('JAEGER_URL is required for this scenario');
    let spans: TraceSpan[] | undefined;
    await waitFor(`the trace of ${requestId} with ${child}`, async () => (spans = await d.traces!.traceOf(requestId))?.some((s) => s.name === child) ?? false, 60_000);
    const servers = spans!.filter((s) => s.kind === 'server' && s.attributes['request.id'] === requestId);
    expect(servers).toHaveLength(1);
    expect(spans!.every((s) => s.traceId === servers[0]!.traceId)).toBe(true);
    return { spans: spans!, server: servers[0]! };
  };

  // Player traffic arrives on the public port in every deployment: that is where it must be traced.
  it('a POST /score on the player port: one server span with its request id, and a score.submit child', async () => {
    const requestId = `e2e-trace-${randomUUID()}`;
    expect(client.urlOf('/score').startsWith(d.publicUrl)).toBe(true);
    const run = await client.startRun();
    expect((await client.postScore({ player: 'Tracer', score: 0 }, { run, headers: { 'x-request-id': requestId } })).status).toBe(201);
    const { spans } = await traceWith(requestId, 'score.submit');
    // The run the score was checked against, to find a player's whole game by it.
    const runId = JSON.parse(Buffer.from(run.token.split('.')[1]!, 'base64url').toString()).jti;
    expect(spans.find((s) => s.name === 'score.submit')!.attributes).toMatchObject({ 'run.id': runId, 'score.value': 0 });
  });

  it("a GET /leaderboard on the player port continues the caller's W3C trace: the server span's parent is the caller's, leaderboard.query under it", async () => {
    const requestId = `e2e-board-${randomUUID()}`;
    const [traceId, parentId] = [randomBytes(16).toString('hex'), randomBytes(8).toString('hex')];
    const headers = { 'x-request-id': requestId, traceparent: `00-${traceId}-${parentId}-01` };
    expect((await client.request('/leaderboard', { headers })).status).toBe(200);
    const { spans, server } = await traceWith(requestId, 'leaderboard.query');
    expect(server.traceId).toBe(traceId);
    expect(server.parentSpanId).toBe(parentId);
    expect(server.attributes).toMatchObject({ 'http.request.method': 'GET', 'http.route': '/leaderboard', 'http.response.status_code': 200, 'url.path': '/leaderboard' });
    expect(spans.find((s) => s.name === 'leaderboard.query')!.parentSpanId).toBe(server.spanId);
  });

  localIt('spans name the service and the pod (the manifest\'s OTEL_* and downward-API variables), and probes are never traced', async () => {
    const requestId = `e2e-resource-${randomUUID()}`;
    await client.request('/leaderboard', { headers: { 'x-request-id': requestId } });
    await traceWith(requestId, 'leaderboard.query');
    const { receiver } = d.traces as OtlpTraceSource;
    const root = receiver.spans.find((span) => span.attributes['request.id'] === requestId)!;
    expect(root.resource).toMatchObject({ 'service.name': 'drafty-bird', 'k8s.pod.name': 'drafty-bird-0', 'k8s.namespace.name': 'drafty-bird' });
    for (const path of Object.values(OPERATOR_ROUTES)) await client.request(path);
    await client.request('/leaderboard', { headers: { 'x-request-id': `${requestId}-after` } });
    await traceWith(`${requestId}-after`, 'leaderboard.query');
    const paths = receiver.spans.map((span) => String(span.attributes['url.path'] ?? span.attributes['http.target'] ?? span.attributes['http.route'] ?? ''));
    for (const path of Object.values(OPERATOR_ROUTES)) expect(paths).not.toContain(path);
  });

  localIt('the service log lines of that request carry the same trace_id', async () => {
    const requestId = `e2e-log-${randomUUID()}`;
    await client.postScore({ score: 0 }, { run: await client.startRun(), headers: { 'x-request-id': requestId } });
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

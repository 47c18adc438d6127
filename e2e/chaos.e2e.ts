import { randomUUID } from 'node:crypto';
import { runbookUrl } from '../charts/observability/prometheus-config.ts';
import { waitFor } from '../test/support/wait.ts';
import { setChaos as setChaosOn } from './support/admin.ts';
import { Client } from './support/client.ts';
import { deploy, type Deployment } from './support/deployment.ts';

/**
 * Scenario 3: chaos proven end to end. Errors on /score → injected responses carry the chaos attributes
 * in their traces, the injection counter grows and the 5xx-ratio alert fires; injected latency fires
 * the p99 alert; chaos off (and healthy traffic) → both resolve. Here (Debian's Alertmanager with the
 * chart's routing) the page is delivered to a webhook, runbook included, and its resolution follows.
 * An alert that cannot fire is a defect.
 */
describe('chaos, end to end', () => {
  let d: Deployment;
  let client: Client;
  const setChaos = (settings: object) => setChaosOn(client, d.adminToken, settings);
  const injections = async (type: string) => {
    const text = await (await client.request('/metrics')).text();
    return Number(new RegExp(`^drafty_bird_chaos_injections_total\\{type="${type}"\\} (\\d+)`, 'm').exec(text)?.[1] ?? 0);
  };
  /**
   * Keeps sending `request` (a few at a time, several per second) until `done`: alerts are computed from
   * rate() over scrapes, so faults must keep happening across scrapes, as they do in a real incident.
   */
  const driveUntil = async (what: string, request: () => Promise<unknown>, done: () => Promise<boolean>, timeoutMs = 120_000) => {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      await Promise.all(Array.from({ length: 5 }, request));
      if (await done()) return;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error(`timed out after ${timeoutMs} ms driving traffic until ${what}`);
  };
  const alertIs = (name: string, state: string) => async () => (await d.prometheus!.alertState(name)) === state;
  /** Chaos off, then healthy traffic until the alert is inactive again. */
  const resolvesWithChaosOff = async (alert: string) => {
    await setChaos({ enabled: false });
    await waitFor(
      `${alert} to resolve`,
      async () => {
        await healthyTraffic(2000);
        return alertIs(alert, 'inactive')();
      },
      150_000,
    );
  };
  /**
   * The notification Alertmanager delivered for `alert` (routed by the chart's tree to the page
   * receiver, with its runbook), when this suite runs the Alertmanager; against a cluster the webhook
   * is the site's, which this process cannot see, and the test says so.
   */
  const delivered = async (alert: string, status: 'firing' | 'resolved', startsAt?: string) => {
    if (!d.alerts) {
      console.warn(`*** ${alert} ${status}: delivery NOT CHECKED — the Alertmanager's webhook is the deployment's, not this process's ***`);
      return undefined;
    }
    const notified = await d.alerts.waitFor(
      `${alert} ${status}`,
      (a, notification) => a.labels.alertname === alert && a.status === status && notification.receiver === 'page' && (!startsAt || a.startsAt === startsAt),
      60_000,
    );
    expect(notified.labels).toMatchObject({ alertname: alert, severity: 'page' });
    expect(notified.annotations.runbook_url).toBe(runbookUrl(alert));
    return notified;
  };
  /** Healthy traffic that dilutes a 5-minute window: reads are cheap and never rate-limited. */
  const healthyTraffic = async (count: number) => {
    for (let i = 0; i < count; i += 25) await Promise.all(Array.from({ length: 25 }, () => client.request('/leaderboard').then((r) => r.arrayBuffer())));
  };

  beforeAll(async () => {
    d = await deploy({ prometheus: true, alerts: true });
    client = new Client(d);
    if (!d.adminToken) throw new Error('CHAOS_ADMIN_TOKEN is required for the chaos scenario');
    if (!d.prometheus) throw new Error('PROMETHEUS_URL is required for the chaos scenario');
    await waitFor('the app target to be up', async () => (await d.prometheus!.appTargetsUp()) > 0, 60_000);
  });
  afterAll(async () => {
    await setChaos({ enabled: false }).catch(() => undefined);
    await d.stop();
  });

  it('injected errors: chaos attributes in traces, the counter grows, the 5xx alert fires and resolves', async () => {
    const before = await injections('error');
    // Faults on reads too: driving the alert with GETs stays clear of the POST rate limit, so the
    // scenario never waits out its own 429s.
    await setChaos({ enabled: true, errorRate: 1, errorStatus: 503, routes: ['/score', '/leaderboard'] });
    const requestId = `e2e-chaos-${randomUUID()}`;
    const faulted = await client.post('/score', { score: 1 }, { 'x-request-id': requestId });
    expect(faulted.status).toBe(503);
    expect(await faulted.json()).toEqual({ error: 'injected fault', request_id: requestId, chaos: true });
    for (let i = 0; i < 30; i++) expect((await client.post('/score', { score: 1 })).status).toBe(503);
    expect(await injections('error')).toBeGreaterThanOrEqual(before + 31);

    if (d.traces) {
      let spans: Awaited<ReturnType<NonNullable<Deployment['traces']>['traceOf']>>;
      await waitFor('the chaos trace', async () => (spans = await d.traces!.traceOf(requestId))?.some((s) => s.name === 'chaos.inject') ?? false, 60_000);
      const servers = spans!.filter((s) => s.kind === 'server' && s.attributes['request.id'] === requestId);
      expect(servers).toHaveLength(1);
      expect(servers[0]!.attributes).toMatchObject({ 'chaos.injected': true, 'chaos.type': 'error' });
    }
    await driveUntil('DraftyBirdHighErrorRate fires', () => client.request('/leaderboard').then((r) => r.arrayBuffer()), alertIs('DraftyBirdHighErrorRate', 'firing'));
    expect(await d.prometheus!.alertState('DraftyBirdChaosInjecting')).toBe('firing');
    const paged = await delivered('DraftyBirdHighErrorRate', 'firing');

    await resolvesWithChaosOff('DraftyBirdHighErrorRate');
    await delivered('DraftyBirdHighErrorRate', 'resolved', paged?.startsAt);
  }, 300_000);

  it('a storage fault aimed at one cohort: its commits fail as injected 503s and store nothing, traced on the write path; other players are untouched', async () => {
    const cohort = { 'x-drafty-cohort': `gameday-${randomUUID()}` };
    await setChaos({ enabled: true, routes: ['/score'], methods: ['POST'], header: { name: 'x-drafty-cohort', value: cohort['x-drafty-cohort'] }, storageFailureRate: 1, storageLatencyMs: 300 });
    const before = await injections('storage');
    const requestId = `e2e-storage-${randomUUID()}`;
    const cohortRun = await client.startRun(cohort);
    const [faulted, untouched] = await Promise.all([
      client.postScore({ player: 'cohort-player', score: 1 }, { run: cohortRun, headers: { ...cohort, 'x-request-id': requestId } }),
      client.postScore({ player: 'real-player', score: 1 }),
    ]);
    expect(faulted.status).toBe(503);
    expect(await faulted.json()).toEqual({ error: 'score storage is unavailable; try again shortly', request_id: requestId, chaos: true });
    expect(untouched.status).toBe(201);
    const board = await client.json<{ leaderboard: { player: string }[] }>('/leaderboard?limit=100');
    expect(board.leaderboard.map((entry) => entry.player)).not.toContain('cohort-player');
    expect(await injections('storage')).toBe(before + 1);

    if (d.traces) {
      let spans: Awaited<ReturnType<NonNullable<Deployment['traces']>['traceOf']>>;
      await waitFor('the storage-fault trace', async () => (spans = await d.traces!.traceOf(requestId))?.some((s) => s.name === 'chaos.inject') ?? false, 30_000);
      const inject = spans!.find((s) => s.name === 'chaos.inject')!;
      expect(inject.attributes).toMatchObject({ 'chaos.type': 'storage', 'chaos.storage_latency_ms': 300, 'chaos.storage_fails': 1 });
      const parent = spans!.find((s) => s.spanId === inject.parentSpanId);
      expect(parent?.name).toBe('score.submit');
      expect(spans!.find((s) => s.kind === 'server')!.attributes).toMatchObject({ 'chaos.injected': true, 'chaos.type': 'storage' });
    }
    await setChaos({ enabled: false });
  }, 60_000);

  it('injected latency: the p99 alert fires, then resolves', async () => {
    await setChaos({ enabled: true, latencyMsP50: 800, latencyMsP99: 900, routes: ['/leaderboard'] });
    const before = await injections('latency');
    const started = Date.now();
    const requestId = `e2e-latency-${randomUUID()}`;
    await Promise.all(Array.from({ length: 5 }, (_, i) => client.request('/leaderboard', { headers: i ? {} : { 'x-request-id': requestId } }).then((r) => r.arrayBuffer())));
    expect(Date.now() - started).toBeGreaterThanOrEqual(700);
    if (d.traces) {
      let spans: Awaited<ReturnType<NonNullable<Deployment['traces']>['traceOf']>>;
      await waitFor('the latency trace', async () => (spans = await d.traces!.traceOf(requestId))?.some((s) => s.name === 'chaos.inject') ?? false, 60_000);
      const server = spans!.find((s) => s.kind === 'server' && s.attributes['request.id'] === requestId)!;
      expect(server.attributes).toMatchObject({ 'chaos.injected': true, 'chaos.type': 'latency', 'chaos.latency_ms': expect.any(Number) });
      expect(spans!.filter((s) => s.name === 'chaos.inject').map((s) => s.attributes['chaos.type'])).toEqual(['latency']);
    }
    // Slow requests keep coming until they are well over 1% of the window, whatever preceded them.
    await driveUntil('DraftyBirdHighLatencyP99 fires', () => client.request('/leaderboard').then((r) => r.arrayBuffer()), alertIs('DraftyBirdHighLatencyP99', 'firing'));
    expect(await injections('latency')).toBeGreaterThan(before);

    await resolvesWithChaosOff('DraftyBirdHighLatencyP99');
  }, 300_000);
});

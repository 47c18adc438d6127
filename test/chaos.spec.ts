import { parseConfig } from '../src/config/config.schema.ts';
import { ADMIN_TOKEN, json, startTestApp, type TestApp } from './support/test-app.ts';

const auth = { authorization: `Bearer ${ADMIN_TOKEN}` };

describe('chaos admin API', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startTestApp({}, { CHAOS_ADMIN_TOKEN: ADMIN_TOKEN });
  });
  afterEach(() => t.close());

  it('requires the bearer token: missing or wrong answers 401', async () => {
    for (const headers of [{}, { authorization: 'Bearer wrong-token-wrong-token' }, { authorization: ADMIN_TOKEN }, { authorization: `Basic ${ADMIN_TOKEN}` }]) {
      const res = await t.inject({ method: 'GET', url: '/chaos', headers });
      expect(res.statusCode).toBe(401);
      expect(res.json().error).toContain('Authorization');
    }
  });

  it('takes the scheme in any case (RFC 9110: auth schemes are case-insensitive)', async () => {
    for (const scheme of ['bearer', 'BEARER', 'Bearer']) {
      expect((await t.inject({ method: 'GET', url: '/chaos', headers: { authorization: `${scheme} ${ADMIN_TOKEN}` } })).statusCode).toBe(200);
    }
  });

  it('refuses an anonymous PUT before reading its body: 401, never a parse error', async () => {
    for (const [type, payload] of [['application/json', `{"enabled":${'x'.repeat(15_000)}`], ['text/plain', 'x'.repeat(15_000)]] as const) {
      const res = await t.inject({ method: 'PUT', url: '/chaos', headers: { 'content-type': type }, payload });
      expect({ type, status: res.statusCode }).toEqual({ type, status: 401 });
    }
  });

  it('GET /chaos returns the live settings', async () => {
    const res = await t.inject({ method: 'GET', url: '/chaos', headers: auth });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      enabled: false,
      errorRate: 0,
      errorStatus: 503,
      latencyMsP50: 0,
      latencyMsP99: 0,
      routes: ['/score', '/leaderboard'],
      seed: null,
    });
  });

  it('PUT /chaos replaces the settings at once, defaults for omitted fields, and logs old and new', async () => {
    const put = await t.inject({
      method: 'PUT',
      url: '/chaos',
      headers: { ...auth, ...json },
      payload: JSON.stringify({ enabled: true, errorRate: 1, errorStatus: 500, routes: ['/score'] }),
    });
    expect(put.statusCode).toBe(200);
    expect(put.json()).toMatchObject({ enabled: true, errorRate: 1, errorStatus: 500, latencyMsP99: 0, routes: ['/score'], seed: null });

    const fault = await t.inject({ method: 'POST', url: '/score', headers: json, payload: '{"score":1}' });
    expect(fault.statusCode).toBe(500);
    expect(fault.json()).toEqual({ error: 'injected fault', request_id: fault.headers['x-request-id'], chaos: true });
    expect((await t.inject({ method: 'GET', url: '/leaderboard' })).statusCode).toBe(200);

    const change = t.logs.find((line) => line.msg === 'chaos settings changed');
    expect(change).toMatchObject({ level: 'warn', previous: { enabled: false }, current: { enabled: true, errorRate: 1 } });
    const warning = t.logs.find((line) => line.msg === 'chaos injected error');
    expect(warning).toMatchObject({ level: 'warn', chaos_type: 'error', request_id: fault.headers['x-request-id'] });

    const metrics = (await t.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metrics).toContain('drafty_bird_chaos_injections_total{type="error"} 1');
    expect(metrics).toContain('http_requests_total{route="/score",method="POST",status="500"} 1');
    // What a dashboard shows and annotates: chaos on, and one settings change.
    expect(metrics).toContain('drafty_bird_chaos_enabled 1');
    expect(metrics).toContain('drafty_bird_chaos_changes_total 1');
  });

  it.each([
    [{ errorRate: 1.5 }, 'errorRate'],
    [{ errorRate: '0.5' }, 'errorRate'],
    [{ errorStatus: 404 }, 'errorStatus'],
    [{ latencyMsP50: 100, latencyMsP99: 10 }, 'latencyMsP99'],
    [{ latencyMsP99: 60_001 }, 'latencyMsP99'],
    [{ routes: ['/healthz'] }, 'routes'],
    [{ routes: ['/metrics'] }, 'routes'],
    [{ routes: 'score' }, 'routes'],
    [{ seed: 1.5 }, 'seed'],
    [{ enabled: 'yes' }, 'enabled'],
    [{ surprise: true }, 'surprise'],
  ])('PUT /chaos rejects %j with a 400 naming %s and keeps the old settings', async (payload, field) => {
    const res = await t.inject({ method: 'PUT', url: '/chaos', headers: { ...auth, ...json }, payload: JSON.stringify(payload) });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toContain(field);
    expect((await t.inject({ method: 'GET', url: '/chaos', headers: auth })).json().enabled).toBe(false);
  });

  it('never targets the probes or the scrape, even when asked through the variables', async () => {
    await t.close();
    expect(() => parseConfig({ CHAOS_ROUTES: '/score,/readyz' })).toThrow(/CHAOS_ROUTES/);
    t = await startTestApp({}, { CHAOS_ADMIN_TOKEN: ADMIN_TOKEN, CHAOS_ENABLED: 'true', CHAOS_ERROR_RATE: '1', CHAOS_ROUTES: '/score,/leaderboard,/game-start' });
    for (const url of ['/healthz', '/readyz', '/metrics']) {
      expect((await t.inject({ method: 'GET', url })).statusCode).toBe(200);
    }
    expect((await t.inject({ method: 'GET', url: '/leaderboard' })).statusCode).toBe(503);
  });
});

describe('chaos without an admin token', () => {
  it('hides the admin API: GET and PUT /chaos answer 404', async () => {
    const t = await startTestApp();
    try {
      expect((await t.inject({ method: 'GET', url: '/chaos' })).statusCode).toBe(404);
      const put = await t.inject({ method: 'PUT', url: '/chaos', headers: { ...json, ...auth }, payload: '{"enabled":true}' });
      expect(put.statusCode).toBe(404);
      expect(put.json().error).toContain('no route');
    } finally {
      await t.close();
    }
  });
});

describe('chaos latency', () => {
  it('delays targeted requests by the configured distribution and counts each injection', async () => {
    const t = await startTestApp({}, { CHAOS_ENABLED: 'true', CHAOS_LATENCY_MS_P50: '30', CHAOS_LATENCY_MS_P99: '30', CHAOS_ROUTES: '/leaderboard' });
    try {
      const started = performance.now();
      const res = await t.inject({ method: 'GET', url: '/leaderboard' });
      expect(res.statusCode).toBe(200);
      expect(performance.now() - started).toBeGreaterThanOrEqual(29);
      const metrics = (await t.inject({ method: 'GET', url: '/metrics' })).body;
      expect(metrics).toContain('drafty_bird_chaos_injections_total{type="latency"} 1');
      expect(t.logs.find((line) => line.msg === 'chaos injected latency')).toMatchObject({ latency_ms: 30, chaos_type: 'latency' });
    } finally {
      await t.close();
    }
  });
});

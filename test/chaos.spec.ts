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
      methods: [],
      header: null,
      storageLatencyMs: 0,
      storageFailureRate: 0,
      seed: null,
      expiresAt: null,
    });
  });

  const put = (payload: object) => t.inject({ method: 'PUT', url: '/chaos', headers: { ...auth, ...json }, payload: JSON.stringify(payload) });
  const metric = async (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec((await t.inject({ method: 'GET', url: '/metrics' })).body)?.[1]);

  it('time-boxed chaos returns to the configured baseline by itself, logged and counted, and says when', async () => {
    const res = await put({ enabled: true, errorRate: 1, routes: ['/leaderboard'], durationSeconds: 1 });
    expect(res.statusCode).toBe(200);
    const expiresAt = Date.parse(res.json().expiresAt);
    expect(expiresAt - Date.now()).toBeGreaterThan(0);
    expect(expiresAt - Date.now()).toBeLessThanOrEqual(1000);
    expect(await metric('drafty_bird_chaos_expiry_timestamp_seconds')).toBeCloseTo(expiresAt / 1000, 0);
    expect((await t.inject({ method: 'GET', url: '/leaderboard' })).statusCode).toBe(503);
    await new Promise((resolve) => setTimeout(resolve, 1300));
    expect((await t.inject({ method: 'GET', url: '/leaderboard' })).statusCode).toBe(200);
    expect((await t.inject({ method: 'GET', url: '/chaos', headers: auth })).json()).toMatchObject({ enabled: false, expiresAt: null });
    expect(await metric('drafty_bird_chaos_expirations_total')).toBe(1);
    expect(await metric('drafty_bird_chaos_expiry_timestamp_seconds')).toBe(0);
    expect(await metric('drafty_bird_chaos_enabled')).toBe(0);
    expect(t.logs.find((line) => line.msg === 'chaos expired: back to the configured baseline')).toMatchObject({ actor: 'expiry', previous: { enabled: true }, current: { enabled: false } });
  });

  it('takes an expiry time instead, and refuses both, one in the past, or one more than a day away', async () => {
    const inAMinute = new Date(Date.now() + 60_000).toISOString();
    expect((await put({ enabled: true, expiresAt: inAMinute })).json()).toMatchObject({ enabled: true, expiresAt: inAMinute });
    for (const [payload, message] of [
      [{ enabled: true, durationSeconds: 60, expiresAt: inAMinute }, /not both/],
      [{ enabled: true, expiresAt: new Date(Date.now() - 1000).toISOString() }, /in the future/],
      [{ enabled: true, expiresAt: new Date(Date.now() + 2 * 86_400_000).toISOString() }, /24 hours/],
      [{ enabled: true, durationSeconds: 0 }, /from 1 to 86400/],
      [{ enabled: true, expiresAt: 'tomorrow' }, /ISO 8601/],
    ] as const) {
      const res = await put(payload);
      expect({ payload, status: res.statusCode }).toEqual({ payload, status: 400 });
      expect(res.json().error).toMatch(message);
    }
    // The refused changes left the accepted one in force.
    expect((await t.inject({ method: 'GET', url: '/chaos', headers: auth })).json()).toMatchObject({ enabled: true, expiresAt: inAMinute });
  });

  it('DELETE /chaos is a kill switch: chaos off at once, the pending expiry cancelled; every change audit-logged with the token\'s fingerprint, never the token', async () => {
    await put({ enabled: true, errorRate: 1, routes: ['/leaderboard'], durationSeconds: 3600 });
    const res = await t.inject({ method: 'DELETE', url: '/chaos', headers: auth });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ enabled: false, errorRate: 0, expiresAt: null });
    expect((await t.inject({ method: 'GET', url: '/leaderboard' })).statusCode).toBe(200);
    expect(await metric('drafty_bird_chaos_expiry_timestamp_seconds')).toBe(0);
    const changes = t.logs.filter((line) => line.msg === 'chaos settings changed');
    expect(changes).toHaveLength(2);
    for (const change of changes) expect(change.actor).toMatch(/^token:[0-9a-f]{12}$/);
    expect(JSON.stringify(t.logs)).not.toContain(ADMIN_TOKEN);
    expect((await t.inject({ method: 'DELETE', url: '/chaos' })).statusCode).toBe(401);
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

describe('chaos targeting', () => {
  it('faults only the methods and the header value asked for, from the variables as from PUT /chaos', async () => {
    const t = await startTestApp({}, { CHAOS_ADMIN_TOKEN: ADMIN_TOKEN, CHAOS_ENABLED: 'true', CHAOS_ERROR_RATE: '1', CHAOS_METHODS: 'head', CHAOS_HEADER: 'X-Cohort=synthetic=1' });
    try {
      const state = (await t.inject({ method: 'GET', url: '/chaos', headers: auth })).json();
      expect(state).toMatchObject({ methods: ['HEAD'], header: { name: 'x-cohort', value: 'synthetic=1' } });
      expect((await t.inject({ method: 'HEAD', url: '/leaderboard', headers: { 'x-cohort': 'synthetic=1' } })).statusCode).toBe(503);
      expect((await t.inject({ method: 'HEAD', url: '/leaderboard' })).statusCode).toBe(200);
      expect((await t.inject({ method: 'GET', url: '/leaderboard', headers: { 'x-cohort': 'synthetic=1' } })).statusCode).toBe(200);

      const put = await t.inject({ method: 'PUT', url: '/chaos', headers: { ...auth, ...json }, payload: JSON.stringify({ enabled: true, errorRate: 1, methods: ['GET'], header: { name: 'x-cohort', value: 'b' } }) });
      expect(put.statusCode).toBe(200);
      expect((await t.inject({ method: 'GET', url: '/leaderboard', headers: { 'x-cohort': 'b' } })).statusCode).toBe(503);
      expect((await t.inject({ method: 'GET', url: '/leaderboard', headers: { 'x-cohort': 'a' } })).statusCode).toBe(200);
      for (const [payload, path] of [
        [{ methods: ['BREW'] }, 'methods.0'],
        [{ header: { name: 'bad header', value: 'x' } }, 'header.name'],
        [{ header: { name: 'authorization', value: 'x' } }, 'header.name'],
        [{ header: { name: 'x-cohort', value: '' } }, 'header.value'],
        [{ storageFailureRate: 2 }, 'storageFailureRate'],
      ] as const) {
        const refused = await t.inject({ method: 'PUT', url: '/chaos', headers: { ...auth, ...json }, payload: JSON.stringify(payload) });
        expect({ payload, status: refused.statusCode, error: refused.json().error }).toEqual({ payload, status: 400, error: expect.stringContaining(path) });
      }
    } finally {
      await t.close();
    }
  });

  it('refuses a CHAOS_HEADER without "=" naming the variable', () => {
    expect(() => parseConfig({ CHAOS_HEADER: 'x-cohort' })).toThrow(/CHAOS_HEADER/);
    expect(() => parseConfig({ CHAOS_METHODS: 'GET,BREW' })).toThrow(/CHAOS_METHODS/);
  });
});

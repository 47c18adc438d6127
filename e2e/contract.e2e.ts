import { Client } from './support/client.ts';
import { deploy, type Deployment } from './support/deployment.ts';

/** Scenario 1: the backend's contract, over the network, against whatever deployment BASE_URL names. */
describe('contract', () => {
  let d: Deployment;
  let client: Client;
  beforeAll(async () => {
    d = await deploy();
    client = new Client(d);
  });
  afterAll(() => d.stop());

  it('GET /healthz and /readyz', async () => {
    const health = await client.request('/healthz');
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    const ready = await client.request('/readyz');
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', storage: 'sqlite' });
  });

  it('GET /metrics exposes the contract metric names in Prometheus text format', async () => {
    await client.post('/game-start', {});
    const res = await client.request('/metrics');
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await res.text();
    for (const name of ['http_requests_total', 'http_request_duration_seconds_bucket', 'drafty_bird_games_started_total', 'drafty_bird_games_completed_total', 'drafty_bird_high_score', 'drafty_bird_chaos_injections_total', 'process_resident_memory_bytes']) {
      expect(text).toContain(`# TYPE ${name.replace(/_bucket$/, '')} `);
    }
  });

  it('POST /game-start → 202', async () => {
    const res = await client.post('/game-start', {});
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ accepted: true });
  });

  it('POST /score stores, trims and defaults the player, and answers the high score', async () => {
    const before = (await client.json<{ leaderboard: Array<{ score: number }> }>('/leaderboard')).leaderboard[0]?.score ?? 0;
    const res = await client.post('/score', { player: '  E2E Contract  ', score: 12 });
    expect(res.status).toBe(201);
    const body = (await res.json()) as { stored: { player: string; score: number; createdAt: string }; highScore: number };
    expect(body.stored).toEqual({ player: 'E2E Contract', score: 12, createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/) });
    expect(body.highScore).toBe(Math.max(before, 12));
    expect(((await (await client.post('/score', { score: 1 })).json()) as { stored: { player: string } }).stored.player).toBe('Guest');
  });

  it.each([
    [{ score: '5' }, 'score'],
    [{ score: 1.5 }, 'score'],
    [{ score: -1 }, 'score'],
    [{ score: 1_000_001 }, 'score'],
    [{ score: null }, 'score'],
    [{}, 'score'],
    [{ player: 7, score: 1 }, 'player'],
    [{ player: 'x'.repeat(33), score: 1 }, 'player'],
    [{ player: 'bell\u0007', score: 1 }, 'player'],
  ])('POST /score %j → 400 naming %s', async (payload, field) => {
    const res = await client.post('/score', payload);
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: string; request_id: string };
    expect(body.error).toContain(field);
    expect(body.request_id).toBe(res.headers.get('x-request-id'));
  });

  it('GET /leaderboard orders by score, then time, and honours ?limit', async () => {
    for (const score of [900_001, 900_003, 900_002, 900_003]) expect((await client.post('/score', { player: `order-${score}`, score })).status).toBe(201);
    const top = (await client.json<{ leaderboard: Array<{ player: string; score: number; createdAt: string }> }>('/leaderboard?limit=4')).leaderboard;
    expect(top.map((e) => e.score)).toEqual([900_003, 900_003, 900_002, 900_001]);
    expect(top[0]!.createdAt <= top[1]!.createdAt).toBe(true);
    expect((await client.json<{ leaderboard: unknown[] }>('/leaderboard')).leaderboard.length).toBeLessThanOrEqual(10);
    for (const bad of ['0', '101', 'ten', '']) expect((await client.request(`/leaderboard?limit=${bad}`)).status).toBe(400);
  });

  it('keeps a valid x-request-id, replaces an invalid one, and uses it in error bodies', async () => {
    expect((await client.request('/healthz', { headers: { 'x-request-id': 'e2e-req.1:a_b' } })).headers.get('x-request-id')).toBe('e2e-req.1:a_b');
    const replaced = await client.request('/nope', { headers: { 'x-request-id': 'not valid!' } });
    expect(replaced.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(replaced.status).toBe(404);
    expect(await replaced.json()).toEqual({ error: expect.any(String), request_id: replaced.headers.get('x-request-id') });
  });

  it('413 for a body over 16 KiB, 415 for a non-JSON body, 400 for invalid JSON and prototype keys', async () => {
    expect((await client.post('/score', JSON.stringify({ score: 1, pad: 'x'.repeat(20_000) }))).status).toBe(413);
    expect((await client.post('/score', 'score=1', { 'content-type': 'application/x-www-form-urlencoded' })).status).toBe(415);
    expect((await client.post('/score', '{"score":')).status).toBe(400);
    expect((await client.post('/score', '{"__proto__":{"x":1},"score":1}')).status).toBe(400);
  });

  it('429 with Retry-After once a client exceeds the per-minute limit', async () => {
    const limited = new Client(d);
    let last: Response | undefined;
    for (let i = 0; i < 130 && last?.status !== 429; i++) last = await limited.post('/game-start', {}, {}, false);
    expect(last?.status).toBe(429);
    expect(Number(last?.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await last!.json()) as { error: string }).error).toContain('rate limit');
  });

  it('the chaos admin API requires the token', async () => {
    expect([401, 404]).toContain((await client.request('/chaos')).status);
    if (!d.adminToken) return;
    expect((await client.request('/chaos', { headers: { authorization: 'Bearer wrong-token-wrong-token' } })).status).toBe(401);
    const ok = await client.request('/chaos', { headers: { authorization: `Bearer ${d.adminToken}` } });
    expect(ok.status).toBe(200);
    expect(Object.keys((await ok.json()) as object).sort()).toEqual(['enabled', 'errorRate', 'errorStatus', 'latencyMsP50', 'latencyMsP99', 'routes', 'seed']);
    const bad = await client.request('/chaos', { method: 'PUT', headers: { authorization: `Bearer ${d.adminToken}`, 'content-type': 'application/json' }, body: '{"errorRate":7}' });
    expect(bad.status).toBe(400);
  });
});

import { Client } from './support/client.ts';
import { OpenApiRecorder } from './support/openapi-check.ts';
import { deploy, type Deployment, engines } from './support/deployment.ts';
import { lastLongEnough } from './support/play.ts';
import { sendAndDropAnswer } from './support/raw-http.ts';

/** Scenario 1: the backend's contract, over the network, against whatever deployment BASE_URL names. */
describe.each(engines())('contract on %s', (engine) => {
  let d: Deployment;
  let client: Client;
  const answers = new OpenApiRecorder();
  beforeAll(async () => {
    d = await deploy({ engine });
    client = new Client(d, answers.record);
  });
  afterAll(() => d.stop());

  it('GET /healthz and /readyz', async () => {
    const health = await client.request('/healthz');
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    const ready = await client.request('/readyz');
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', storage: engine });
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

  it('POST /game-start → 202 with a run', async () => {
    const res = await client.post('/game-start', {});
    expect(res.status).toBe(202);
    const body = (await res.json()) as { accepted: true; run: { id: string; token: string; startedAt: string; expiresAt: string } };
    expect(body).toEqual({ accepted: true, run: { id: expect.stringMatching(/^[0-9a-f-]{36}$/), token: expect.any(String), startedAt: expect.any(String), expiresAt: expect.any(String) } });
    expect(Date.parse(body.run.expiresAt)).toBeGreaterThan(Date.parse(body.run.startedAt));
  });

  it('POST /score stores, normalises and defaults the player, and answers the high score', async () => {
    const before = (await client.json<{ leaderboard: Array<{ score: number }> }>('/leaderboard')).leaderboard[0]?.score ?? 0;
    const res = await client.postScore({ player: '  E2E \u00a0 Contrac\u0301t  ', score: 2 });
    expect(res.status).toBe(201);
    const body = (await res.json()) as { stored: { player: string; score: number; createdAt: string }; highScore: number };
    expect(body.stored).toEqual({ player: 'E2E Contra\u0107t', score: 2, createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/) });
    expect(body.highScore).toBe(Math.max(before, 2));
    expect(((await (await client.postScore({ score: 0 })).json()) as { stored: { player: string } }).stored.player).toBe('Guest');
  });

  it('POST /score without a run, or with one that is forged or too young for its score, is refused and stores nothing', async () => {
    const player = `refused-${Date.now()}`;
    const missing = await client.post('/score', { player, score: 0 });
    expect(missing.status).toBe(400);
    expect(await missing.json()).toMatchObject({ reason: 'run_missing' });
    const run = await client.startRun();
    const [header, claims] = run.token.split('.');
    const forged = await client.post('/score', { run: `${header}.${claims}.${'A'.repeat(43)}`, player, score: 0 });
    expect(forged.status).toBe(403);
    expect(await forged.json()).toMatchObject({ reason: 'run_invalid' });
    const implausible = await client.post('/score', { run: run.token, player, score: 1_000_000 });
    expect(implausible.status).toBe(422);
    expect(await implausible.json()).toMatchObject({ reason: 'score_implausible', error: expect.stringContaining('not possible') });
    const board = (await client.json<{ leaderboard: Array<{ player: string }> }>('/leaderboard?limit=100')).leaderboard;
    expect(board.filter((entry) => entry.player === player)).toEqual([]);
  });

  it('a retry after a response lost in transit answers the first 201 again and stores one row; another score for the run is 409', async () => {
    const player = `lost-${Date.now()}`;
    const run = await client.startRun();
    await lastLongEnough(run, 1);
    const body = JSON.stringify({ run: run.token, player, score: 1 });
    // The request reaches the service and is committed; the connection drops before the client reads a byte.
    const bytes = await sendAndDropAnswer(d.publicUrl, 'POST', '/score', body);
    expect(bytes).toMatch(/^HTTP\/1\.1 201/);
    const retry = await client.post('/score', body);
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(await retry.json()).toMatchObject({ stored: { player, score: 1 } });
    const conflict = await client.post('/score', { run: run.token, player, score: 0 });
    expect(conflict.status).toBe(409);
    expect(await conflict.json()).toMatchObject({ reason: 'run_conflict' });
    const board = (await client.json<{ leaderboard: Array<{ player: string }> }>('/leaderboard?limit=100')).leaderboard;
    expect(board.filter((entry) => entry.player === player)).toHaveLength(1);
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
    [{ player: 'zero\u200Bwidth', score: 0 }, 'player'],
    [{ player: '\u3164', score: 0 }, 'player'],
    [{ player: 'tag\u{E0041}', score: 0 }, 'player'],
    [{ run: 7, score: 0 }, 'run'],
  ])('POST /score %j → 400 naming %s', async (payload, field) => {
    const res = await client.post('/score', payload);
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: string; request_id: string };
    expect(body.error).toContain(field);
    expect(body.request_id).toBe(res.headers.get('x-request-id'));
  });

  it('GET /leaderboard orders by score, then time, and honours ?limit', async () => {
    const tag = `order-${Date.now()}`;
    const scores = [1, 3, 2, 3];
    const runs = await Promise.all(scores.map(() => client.startRun()));
    await lastLongEnough(runs.at(-1)!, Math.max(...scores));
    for (const [i, score] of scores.entries()) expect((await client.postScore({ player: `${tag}-${i}`, score }, { run: runs[i] })).status).toBe(201);
    const board = (await client.json<{ leaderboard: Array<{ player: string; score: number; createdAt: string }> }>('/leaderboard?limit=100')).leaderboard;
    const mine = board.filter((e) => e.player.startsWith(tag));
    expect(mine.map((e) => e.player)).toEqual([`${tag}-1`, `${tag}-3`, `${tag}-2`, `${tag}-0`]);
    expect((await client.json<{ leaderboard: unknown[] }>('/leaderboard?limit=4')).leaderboard).toHaveLength(4);
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
    const limited = new Client(d, answers.record);
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
    expect(Object.keys((await ok.json()) as object).sort()).toEqual(['enabled', 'errorRate', 'errorStatus', 'expiresAt', 'header', 'latencyMsP50', 'latencyMsP99', 'methods', 'routes', 'seed', 'storageFailureRate', 'storageLatencyMs']);
    const bad = await client.request('/chaos', { method: 'PUT', headers: { authorization: `Bearer ${d.adminToken}`, 'content-type': 'application/json' }, body: '{"errorRate":7}' });
    expect(bad.status).toBe(400);
  });

  it('chaos is time-boxed on request and switched off by DELETE /chaos (the kill switch)', async () => {
    if (!d.adminToken) return;
    const admin = { authorization: `Bearer ${d.adminToken}`, 'content-type': 'application/json' };
    // Targets no route players use here, so the rest of the suite is unaffected while it lasts.
    const boxed = await client.request('/chaos', { method: 'PUT', headers: admin, body: JSON.stringify({ enabled: true, routes: ['/nowhere'], durationSeconds: 600 }) });
    expect(boxed.status).toBe(200);
    const { expiresAt } = (await boxed.json()) as { expiresAt: string };
    expect(Date.parse(expiresAt) - Date.now()).toBeGreaterThan(590_000);
    const off = await client.request('/chaos', { method: 'DELETE', headers: { authorization: admin.authorization } });
    expect(off.status).toBe(200);
    expect(await off.json()).toMatchObject({ enabled: false, expiresAt: null });
    expect((await client.request('/chaos', { method: 'DELETE' })).status).toBe(401);
  });

  // Last: every answer the scenarios above received.
  it("every answer above is one the service's OpenAPI document declares, status and body", async () => {
    const document = await client.json<Parameters<OpenApiRecorder['problems']>[0]>('/openapi.json');
    const { checked, problems } = await answers.problems(document);
    expect(problems).toEqual([]);
    expect(checked).toBeGreaterThan(50);
  });
});

import { ADMIN_ROUTES, OPERATOR_ROUTES, PLAYER_ROUTES } from '../src/surface.ts';
import { ADMIN_TOKEN, json, startTestApp, type TestApp } from './support/test-app.ts';

describe('HTTP API through the production pipeline', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startTestApp({}, { CHAOS_ADMIN_TOKEN: ADMIN_TOKEN });
  });
  afterEach(() => t.close());

  const postScore = (payload: unknown, headers: Record<string, string> = json) => t.postScore(payload, headers);

  describe('health', () => {
    it('GET /healthz is ok without touching storage', async () => {
      const res = await t.inject({ method: 'GET', url: '/healthz' });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ status: 'ok' });
    });

    it('GET /version says what runs: version, commit, build time, Node; drafty_bird_build_info says the same', async () => {
      const res = await t.inject({ method: 'GET', url: '/version' });
      expect(res.statusCode).toBe(200);
      const body = res.json();
      expect(body).toEqual({ version: expect.stringMatching(/^\d+\.\d+\.\d+/), commit: expect.any(String), builtAt: expect.any(String), node: process.version });
      const metrics = (await t.inject({ method: 'GET', url: '/metrics' })).body;
      expect(metrics).toContain(`drafty_bird_build_info{version="${body.version}",commit="${body.commit}",node_version="${process.version}"} 1`);
    });

    it('GET /metrics counts the log lines dropped while stdout was not read (none here)', async () => {
      const metrics = (await t.inject({ method: 'GET', url: '/metrics' })).body;
      expect(metrics).toContain('# TYPE drafty_bird_log_lines_dropped_total counter');
      expect(metrics).toMatch(/^drafty_bird_log_lines_dropped_total 0$/m);
    });

    it('GET /openapi.json is an OpenAPI 3.1 document of every route the service has', async () => {
      const res = await t.inject({ method: 'GET', url: '/openapi.json' });
      expect(res.statusCode).toBe(200);
      const doc = res.json();
      expect(doc.openapi).toBe('3.1.0');
      const apiRoutes = [PLAYER_ROUTES.gameStart, PLAYER_ROUTES.score, PLAYER_ROUTES.leaderboard, ...Object.values(OPERATOR_ROUTES), ...Object.values(ADMIN_ROUTES)];
      expect(Object.keys(doc.paths).sort()).toEqual(apiRoutes.sort());
      expect(Object.keys(doc.paths['/score'].post.responses).sort()).toEqual(['201', '400', '403', '409', '413', '415', '422', '429', '503', '5XX']);
      // The request body is the validator's own schema: score bounds and the optional player.
      const body = doc.paths['/score'].post.requestBody.content['application/json'].schema;
      expect(body.properties.score).toMatchObject({ type: 'integer', minimum: 0, maximum: 1_000_000 });
      expect(body.required).toEqual(['score']);
    });

    it('GET /readyz reports sqlite once the database is open', async () => {
      const res = await t.inject({ method: 'GET', url: '/readyz' });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ status: 'ready', storage: 'sqlite' });
    });
  });

  describe('POST /score', () => {
    it('stores a score and answers the stored row and the high score', async () => {
      const res = await postScore({ player: '  Ada  ', score: 42 });
      expect(res.statusCode).toBe(201);
      const body = res.json();
      expect(body).toEqual({ stored: { player: 'Ada', score: 42, createdAt: expect.any(String) }, highScore: 42 });
      expect(body.stored.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);

      const lower = await postScore({ player: 'Bob', score: 7 });
      expect(lower.json().highScore).toBe(42);
    });

    it.each([
      [{ score: 1 }, 'Guest'],
      [{ player: '', score: 1 }, 'Guest'],
      [{ player: '   ', score: 1 }, 'Guest'],
      [{ player: 'x'.repeat(32), score: 1 }, 'x'.repeat(32)],
      [{ player: '🐦'.repeat(32), score: 1 }, '🐦'.repeat(32)],
      [{ player: 'שלום', score: 1 }, 'שלום'],
      [{ player: '<script>alert(1)</script>', score: 1 }, '<script>alert(1)</script>'],
      [{ player: "Robert'); DROP TABLE scores;--", score: 1 }, "Robert'); DROP TABLE scores;--"],
      [{ player: 'Zoe\u0301', score: 1 }, 'Zo\u00e9'],
      [{ player: 'Ada \u00a0 Lovelace', score: 1 }, 'Ada Lovelace'],
      [{ player: `${'x'.repeat(31)}e\u0301`, score: 1 }, `${'x'.repeat(31)}\u00e9`],
      [{ player: '👩\u200D💻', score: 1 }, '👩\u200D💻'],
    ])('accepts %j as player %j', async (payload, player) => {
      const res = await postScore(payload);
      expect(res.statusCode).toBe(201);
      expect(res.json().stored.player).toBe(player);
    });

    it.each([
      [{ score: '42' }, 'score'],
      [{ score: 4.5 }, 'score'],
      [{ score: -1 }, 'score'],
      [{ score: 1_000_001 }, 'score'],
      [{ score: null }, 'score'],
      [{}, 'score'],
      [{ score: 1e21 }, 'score'],
      [{ score: true }, 'score'],
      [{ player: 42, score: 1 }, 'player'],
      [{ player: null, score: 1 }, 'player'],
      [{ player: 'x'.repeat(33), score: 1 }, 'player'],
      [{ player: 'a\u0000b', score: 1 }, 'player'],
      [{ player: 'tab\there', score: 1 }, 'player'],
      [{ player: '\u202Eevil', score: 1 }, 'player'],
      [{ player: 'lone \ud800 surrogate', score: 1 }, 'player'],
      [{ player: 'Ada\u200B', score: 1 }, 'player'],
      [{ player: 'Ada\u2060', score: 1 }, 'player'],
      [{ player: '\u3164', score: 1 }, 'player'],
      [{ player: 'Ada\u{E0041}', score: 1 }, 'player'],
      [{ player: '\uFE0F', score: 1 }, 'player'],
      [[1, 2], 'body'],
      ['"just a string"', 'body'],
      ['null', 'body'],
    ])('rejects %j with a 400 naming %s', async (payload, field) => {
      const res = await postScore(payload);
      expect(res.statusCode).toBe(400);
      expect(res.json()).toEqual({ error: expect.stringContaining(field), request_id: expect.any(String) });
    });

    it('rejects invalid JSON, empty bodies and prototype poisoning with 400', async () => {
      for (const payload of ['{bad', '', '   ', '{"score":1,}']) {
        const res = await postScore(payload);
        expect(res.statusCode).toBe(400);
        expect(res.json().error).toMatch(/JSON|empty/);
      }
      for (const payload of ['{"__proto__":{"admin":true},"score":1}', '{"score":1,"x":{"constructor":{"prototype":{"a":1}}}}']) {
        const res = await postScore(payload);
        expect(res.statusCode).toBe(400);
        expect(res.json().error).toContain('__proto__');
      }
    });

    it('refuses bodies over 16 KiB with 413 and non-JSON content types with 415', async () => {
      const huge = await postScore({ player: 'x', score: 1, pad: 'p'.repeat(17 * 1024) });
      expect(huge.statusCode).toBe(413);
      expect(huge.json().error).toContain('16384');

      for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
        const res = await postScore('score=1', { 'content-type': type });
        expect(res.statusCode).toBe(415);
        expect(res.json().error).toContain('application/json');
      }
    });

    it('survives deeply nested JSON without a 5xx', async () => {
      const res = await postScore(`${'['.repeat(8000)}${']'.repeat(8000)}`);
      expect(res.statusCode).toBe(400);
    });
  });

  describe('GET /leaderboard', () => {
    it('orders by score desc, then createdAt asc, then insertion order, top 10 by default', async () => {
      for (let i = 0; i < 12; i++) expect((await postScore({ player: `p${i}`, score: i % 4 })).statusCode).toBe(201);
      const res = await t.inject({ method: 'GET', url: '/leaderboard' });
      expect(res.statusCode).toBe(200);
      const board = res.json().leaderboard as Array<{ player: string; score: number; createdAt: string }>;
      expect(board).toHaveLength(10);
      expect(board.map((r) => r.player)).toEqual(['p3', 'p7', 'p11', 'p2', 'p6', 'p10', 'p1', 'p5', 'p9', 'p0']);
      expect(Object.keys(board[0]!).sort()).toEqual(['createdAt', 'player', 'score']);
    });

    it('honours ?limit=1..100', async () => {
      for (let i = 0; i < 5; i++) await postScore({ score: i });
      const res = await t.inject({ method: 'GET', url: '/leaderboard?limit=3' });
      expect(res.json().leaderboard.map((r: { score: number }) => r.score)).toEqual([4, 3, 2]);
      expect((await t.inject({ method: 'GET', url: '/leaderboard?limit=100' })).statusCode).toBe(200);
    });

    it.each(['0', '101', '-1', 'abc', '', '1.5', '10&limit=20', '1e2', ' 5'])('rejects ?limit=%s with 400', async (limit) => {
      const res = await t.inject({ method: 'GET', url: `/leaderboard?limit=${limit}` });
      expect(res.statusCode).toBe(400);
      expect(res.json().error).toContain('limit');
    });
  });

  describe('POST /game-start', () => {
    it('answers 202 and counts the game', async () => {
      const res = await t.inject({ method: 'POST', url: '/game-start', headers: json, payload: '{}' });
      expect(res.statusCode).toBe(202);
      expect(res.json()).toEqual({
        accepted: true,
        run: { id: expect.stringMatching(/^[0-9a-f-]{36}$/), token: expect.any(String), startedAt: expect.any(String), expiresAt: expect.any(String) },
      });
      const { startedAt, expiresAt } = res.json().run;
      expect(Date.parse(expiresAt) - Date.parse(startedAt)).toBe(t.config.runTtlMs);
      const metrics = await t.inject({ method: 'GET', url: '/metrics' });
      expect(metrics.body).toMatch(/^drafty_bird_games_started_total 1$/m);
    });
  });

  describe('errors and request ids', () => {
    it('answers unknown routes with a JSON 404', async () => {
      const res = await t.inject({ method: 'GET', url: '/../../etc/passwd' });
      expect(res.statusCode).toBe(404);
      expect(res.json()).toEqual({ error: expect.stringContaining('no route'), request_id: res.headers['x-request-id'] });
    });

    it('keeps a well-formed incoming x-request-id and echoes it', async () => {
      const res = await t.inject({ method: 'GET', url: '/healthz', headers: { 'x-request-id': 'abc-123.X:y_z' } });
      expect(res.headers['x-request-id']).toBe('abc-123.X:y_z');
    });

    it.each(['', 'x'.repeat(129), 'bad id', 'evil\u00e9', '<script>', 'a/b'])('replaces a malformed x-request-id %j with a UUID', async (id) => {
      const res = await t.inject({ method: 'GET', url: '/nope', headers: { 'x-request-id': id } });
      expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
      expect(res.json().request_id).toBe(res.headers['x-request-id']);
    });

    it('puts the request id on every log line of the request', async () => {
      await postScore({ score: 5 }, { ...json, 'x-request-id': 'trace-me-1' });
      const lines = t.logs.filter((line) => line.request_id === 'trace-me-1');
      expect(lines.length).toBeGreaterThan(0);
      expect(lines.some((line) => line.msg === 'request completed' && line.status === 201)).toBe(true);
    });
  });

  describe('metrics', () => {
    it('labels every response by route template, including 404, 413 and 415, with bounded cardinality', async () => {
      await t.inject({ method: 'GET', url: '/leaderboard?limit=5' });
      await t.inject({ method: 'GET', url: '/random/path/1' });
      await t.inject({ method: 'GET', url: '/random/path/2' });
      await postScore({ score: 1, pad: 'p'.repeat(20_000) });
      await postScore('x', { 'content-type': 'text/plain' });
      const text = (await t.inject({ method: 'GET', url: '/metrics' })).body;
      expect(text).toContain('http_requests_total{route="/leaderboard",method="GET",status="200"} 1');
      expect(text).toContain('http_requests_total{route="unmatched",method="GET",status="404"} 2');
      expect(text).toContain('http_requests_total{route="/score",method="POST",status="413"} 1');
      expect(text).toContain('http_requests_total{route="/score",method="POST",status="415"} 1');
      expect(text).not.toContain('/random/path');
      expect(text).toMatch(/http_request_duration_seconds_bucket\{le="0.25",/);
      expect(text).toMatch(/http_request_duration_seconds_bucket\{le="0.5",/);
      expect(text).toMatch(/http_request_duration_seconds_bucket\{le="10",/);
      expect(text).toContain('process_resident_memory_bytes');
      expect(text).toContain('nodejs_eventloop_lag_seconds');
    });

    it('tracks games completed and the high score', async () => {
      await postScore({ score: 10 });
      await postScore({ score: 30 });
      await postScore({ score: 20 });
      const text = (await t.inject({ method: 'GET', url: '/metrics' })).body;
      expect(text).toMatch(/^drafty_bird_games_completed_total 3$/m);
      expect(text).toMatch(/^drafty_bird_high_score 30$/m);
    });
  });
});

describe('rate limiting', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ rateLimitPerMinute: 3 });
  });
  afterAll(() => t.close());

  it('limits POST routes per client with 429 and Retry-After, never the probes or reads', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      statuses.push((await t.inject({ method: 'POST', url: '/game-start', headers: json, payload: '{}' })).statusCode);
    }
    expect(statuses).toEqual([202, 202, 202, 429, 429]);
    const limited = await t.inject({ method: 'POST', url: '/game-start', headers: json, payload: '{}' });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.json()).toEqual({ error: expect.stringContaining('rate limit'), request_id: expect.any(String) });

    // Another client is not affected.
    const other = await t.inject({ method: 'POST', url: '/game-start', headers: json, payload: '{}', remoteAddress: '10.0.0.9' });
    expect(other.statusCode).toBe(202);

    for (let i = 0; i < 10; i++) {
      expect((await t.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
      expect((await t.inject({ method: 'GET', url: '/leaderboard' })).statusCode).toBe(200);
    }
    const text = (await t.inject({ method: 'GET', url: '/metrics' })).body;
    expect(text).toContain('http_requests_total{route="/game-start",method="POST",status="429"} 3');
  });
});

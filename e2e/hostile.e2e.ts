import { Client } from './support/client.ts';
import { deploy, type Deployment, engines } from './support/deployment.ts';
import { rawRequest } from './support/raw-http.ts';

interface Case {
  name: string;
  /** Resolves to the HTTP status (0 when the server closed the connection without an answer). */
  send: (client: Client, baseUrl: string) => Promise<number>;
  /** When the case is a valid request, the status it must get. */
  expect?: number;
}

const post = (body: string, headers: Record<string, string> = {}) => (client: Client) =>
  client.post('/score', body, headers).then((res) => res.status);
/** A body as given, plus a fresh run: what the service does with the rest once the run is fine. */
const withRun = (fields: string) => async (client: Client) => {
  const { token } = await client.startRun();
  return (await client.post('/score', `{"run":${JSON.stringify(token)},${fields}}`)).status;
};
const name = (player: unknown, expect?: number): Case => ({
  name: `player ${JSON.stringify(player).slice(0, 60)}`,
  send: withRun(`"player":${JSON.stringify(player)},"score":0`),
  expect,
});
const get = (path: string, headers: Record<string, string> = {}) => (client: Client) =>
  client.request(path, { headers }).then((res) => res.status);
const raw = (...chunks: string[]) => (_: Client, baseUrl: string) => rawRequest(baseUrl, chunks);

/** Scenario 6: a corpus of malformed and hostile requests. */
const CORPUS: Case[] = [
  // Invalid and deeply nested JSON
  { name: 'truncated JSON', send: post('{"score": 1'), expect: 400 },
  { name: 'trailing comma', send: post('{"score":1,}'), expect: 400 },
  { name: 'single quotes', send: post("{'score':1}"), expect: 400 },
  { name: 'NaN literal', send: post('{"score":NaN}'), expect: 400 },
  { name: 'Infinity literal', send: post('{"score":Infinity}'), expect: 400 },
  { name: 'comment in JSON', send: post('{"score":1 /* hi */}'), expect: 400 },
  { name: 'empty body', send: post(''), expect: 400 },
  { name: 'whitespace body', send: post('   \n'), expect: 400 },
  { name: 'JSON null', send: post('null'), expect: 400 },
  { name: 'JSON array', send: post('[{"score":1}]'), expect: 400 },
  { name: 'JSON string', send: post('"score"'), expect: 400 },
  { name: 'nested arrays 5,000 deep', send: post(`${'['.repeat(5000)}${']'.repeat(5000)}`), expect: 400 },
  { name: 'nested objects 2,500 deep', send: post(`${'{"a":'.repeat(2500)}1${'}'.repeat(2500)}`), expect: 400 },
  { name: '__proto__ pollution', send: post('{"__proto__":{"isAdmin":true},"score":1}'), expect: 400 },
  { name: 'nested constructor.prototype', send: post('{"score":1,"x":{"constructor":{"prototype":{"polluted":1}}}}'), expect: 400 },
  { name: 'BOM before JSON', send: post('\ufeff{"score":1}') },
  { name: 'invalid UTF-8 bytes', send: (client) => client.request('/score', { method: 'POST', headers: { 'content-type': 'application/json' }, body: Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]) }).then((r) => r.status) },
  // Huge bodies and wrong types
  { name: '17 KiB body', send: post(JSON.stringify({ score: 1, pad: 'x'.repeat(17 * 1024) })), expect: 413 },
  { name: '1 MiB body', send: post('x'.repeat(1024 * 1024)), expect: 413 },
  { name: 'lying content-length (smaller)', send: raw('POST /score HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 5\r\n\r\n{"score":1}') },
  { name: 'score as string', send: post('{"score":"100"}'), expect: 400 },
  { name: 'score as object', send: post('{"score":{"$gt":0}}'), expect: 400 },
  { name: 'score as array', send: post('{"score":[1]}'), expect: 400 },
  { name: 'score 1e308', send: post('{"score":1e308}'), expect: 400 },
  { name: 'score -0', send: withRun('"score":-0'), expect: 201 },
  { name: 'no run', send: post('{"score":0}'), expect: 400 },
  { name: 'run as number', send: post('{"run":1,"score":0}'), expect: 400 },
  { name: 'run as object', send: post('{"run":{"id":"x"},"score":0}'), expect: 400 },
  { name: 'run forged', send: post('{"run":"eyJhbGciOiJub25lIn0.eyJ2IjoxfQ.","score":0}'), expect: 403 },
  { name: 'run 15 KB', send: post(JSON.stringify({ run: 'r'.repeat(15_000), score: 0 })), expect: 403 },
  { name: 'score impossible for the run', send: withRun('"score":999999'), expect: 422 },
  { name: 'score as hex string', send: post('{"score":"0x10"}'), expect: 400 },
  { name: 'player as object', send: post('{"player":{"toString":"x"},"score":1}'), expect: 400 },
  { name: 'player as array', send: post('{"player":["a"],"score":1}'), expect: 400 },
  { name: 'text/plain content type', send: post('{"score":1}', { 'content-type': 'text/plain' }), expect: 415 },
  { name: 'form content type', send: post('score=1', { 'content-type': 'application/x-www-form-urlencoded' }), expect: 415 },
  { name: 'xml content type', send: post('<score>1</score>', { 'content-type': 'application/xml' }), expect: 415 },
  // Unicode edge cases
  name('שלום עולם', 201),
  name('مرحبا', 201),
  name('\u202Egnp.exe', 400),
  name('zero\u200Bwidth', 400),
  name('word\u2060joiner', 400),
  name('\u3164', 400),
  name('tags\u{E0074}\u{E0061}', 400),
  name('\uFE0F alone', 400),
  name('I \u2764\uFE0F ducts', 201),
  name('👨‍👩‍👧‍👦 family', 201),
  name('🐦'.repeat(32), 201),
  name('🐦'.repeat(33), 400),
  name('lone \ud83d surrogate', 400),
  name('null\u0000byte', 400),
  name('new\nline', 400),
  name('e\u0301 combining', 201),
  // SQL, HTML and script payloads in names: stored and returned as text
  name("'; DROP TABLE scores; --", 201),
  name('" OR 1=1 --', 201),
  name('<script>alert(1)</script>', 201),
  name('<img src=x onerror=alert(1)>', 201),
  name('{{7*7}} ${7*7}', 201),
  name('../../etc/passwd', 201),
  // Header abuse
  { name: '20 KB header', send: get('/healthz', { 'x-padding': 'a'.repeat(20_000) }) },
  { name: '300-char x-request-id', send: get('/healthz', { 'x-request-id': 'r'.repeat(300) }), expect: 200 },
  { name: 'CRLF in header (raw)', send: raw('GET /healthz HTTP/1.1\r\nHost: x\r\nX-Evil: a\rb\r\n\r\n') },
  { name: 'no Host header (raw HTTP/1.1)', send: raw('GET /healthz HTTP/1.1\r\n\r\n') },
  { name: 'garbage request line', send: raw('HELLO WORLD\r\n\r\n') },
  { name: 'conflicting transfer-encoding and length', send: raw('POST /score HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n') },
  { name: 'bogus x-forwarded-for', send: get('/leaderboard', { 'x-forwarded-for': 'not-an-ip, ::::, 999.1.1.1' }), expect: 200 },
  // Path traversal and overlong URLs
  { name: 'traversal to /etc/passwd', send: get('/../../../../etc/passwd'), expect: 404 },
  { name: 'encoded traversal', send: get('/%2e%2e/%2e%2e/etc/passwd'), expect: 404 },
  { name: 'traversal through /assets', send: get('/assets/..%2f..%2fpackage.json'), expect: 404 },
  { name: 'backslash traversal', send: get('/assets/..\\..\\package.json') },
  { name: 'null byte in path', send: get('/leaderboard%00.json'), expect: 404 },
  { name: '10 KB URL', send: get(`/leaderboard?x=${'a'.repeat(10_000)}`) },
  { name: '20 KB URL', send: get(`/${'a'.repeat(20_000)}`) },
  { name: 'limit overflow', send: get('/leaderboard?limit=99999999999999999999'), expect: 400 },
  { name: 'limit repeated', send: get('/leaderboard?limit=1&limit=2'), expect: 400 },
  // Slow bodies
  { name: 'slow body (3 chunks over ~1.5 s)', send: (_, baseUrl) => rawRequest(baseUrl, ['POST /score HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 27\r\nConnection: close\r\n\r\n', '{"player":"slow",', '"score":3}  '], 500) },
];

/** Players' bytes reach the public port; the main port must be just as robust (it serves the cluster). */
const LISTENERS = ['public', 'main'] as const;
describe.each(engines().flatMap((engine) => LISTENERS.map((listener) => [engine, listener] as const)))('hostile input on %s, %s listener', (engine, listener) => {
  let d: Deployment;
  let client: Client;
  let target: string;
  const sentinel = { player: `sentinel-${Date.now()}`, score: 1 };
  beforeAll(async () => {
    // Many writes from one client: not a rate-limit test.
    d = await deploy({ engine, env: { RATE_LIMIT_PER_MINUTE: '0' } });
    target = listener === 'public' ? d.publicUrl : d.adminUrl;
    client = new Client(listener === 'public' ? d : { publicUrl: d.adminUrl, adminUrl: d.adminUrl });
    expect((await client.postScore(sentinel)).status).toBe(201);
  });
  afterAll(() => d.stop());

  it('has a corpus of at least 50 cases', () => expect(CORPUS.length).toBeGreaterThanOrEqual(50));

  it.each(CORPUS.map((c) => [c.name, c] as const))('%s: no 5xx', async (_name, testCase) => {
    const status = await testCase.send(client, target);
    expect(status).toBeLessThan(500);
    if (testCase.expect !== undefined) expect(status).toBe(testCase.expect);
  });

  it('the leaderboard takeover (100 × score 1,000,000 from one address) stores nothing', async () => {
    const owner = `owner-${listener}-${Date.now()}`;
    const statuses: number[] = [];
    for (let i = 0; i < 100; i++) {
      const body: Record<string, unknown> = { player: owner, score: 1_000_000 };
      if (i % 2) body.run = (await client.startRun()).token;
      statuses.push((await client.post('/score', body)).status);
    }
    expect(new Set(statuses)).toEqual(new Set([400, 422]));
    const board = (await client.json<{ leaderboard: Array<{ player: string }> }>('/leaderboard?limit=100')).leaderboard;
    expect(board.filter((entry) => entry.player === owner)).toEqual([]);
  });

  it('leaves the service healthy and the stored data intact', async () => {
    expect((await client.request('/healthz')).status).toBe(200);
    expect((await client.request('/readyz')).status).toBe(200);
    const board = (await client.json<{ leaderboard: Array<{ player: string; score: number; createdAt: string }> }>('/leaderboard?limit=100')).leaderboard;
    expect(board).toContainEqual(expect.objectContaining(sentinel));
    for (const entry of board) {
      expect(typeof entry.player).toBe('string');
      expect(entry.player.isWellFormed()).toBe(true);
      expect(Number.isInteger(entry.score)).toBe(true);
      expect(new Date(entry.createdAt).toISOString()).toBe(entry.createdAt);
    }
    const names = board.map((e) => e.player);
    expect(names).toEqual(expect.arrayContaining(["'; DROP TABLE scores; --", '<img src=x onerror=alert(1)>', 'שלום עולם', '👨‍👩‍👧‍👦 family']));
  });
});

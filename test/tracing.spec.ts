import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OtlpReceiver } from './support/otlp-receiver.ts';
import { freePort, postScore, type ServerProcess, startServer } from './support/server-process.ts';
import { waitFor } from './support/wait.ts';

const TOKEN = 'tracing-admin-token-123456';
const SERVER_KIND = 2;

/** The production build exporting real spans over OTLP/HTTP to a receiver in this process. */
describe('traces and logs of a running service', () => {
  const receiver = new OtlpReceiver();
  let server: ServerProcess;
  let dir: string;
  /** Player traffic arrives on PUBLIC_PORT in every deployment; operators use the main port. */
  const base: Record<'main' | 'public', string> = { main: '', public: '' };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'drafty-bird-trace-'));
    const endpoint = await receiver.start();
    const publicPort = await freePort();
    server = await startServer({
      PUBLIC_PORT: String(publicPort),
      SCORE_DB_PATH: join(dir, 'db.sqlite'),
      OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
      OTEL_BSP_SCHEDULE_DELAY: '100',
      OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment=test',
      CHAOS_ADMIN_TOKEN: TOKEN,
      SHUTDOWN_DELAY_MS: '0',
      LOG_LEVEL: 'info',
    });
    base.main = server.url;
    base.public = `http://127.0.0.1:${publicPort}`;
  });
  afterAll(async () => {
    server.proc.kill('SIGTERM');
    await server.exited;
    await receiver.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const spansOf = (traceId: string) => receiver.spans.filter((span) => span.traceId === traceId);
  const serverSpanWith = (requestId: string) =>
    receiver.spans.find((span) => span.attributes['request.id'] === requestId && !span.parentSpanId);
  const serverSpansOf = (requestId: string) =>
    receiver.spans.filter((span) => span.kind === SERVER_KIND && span.attributes['request.id'] === requestId);

  it.each(['main', 'public'] as const)('exports one server span per request on the %s listener, with a score.submit child', async (listener) => {
    const requestId = `trace-score-${listener}`;
    const res = await postScore(base[listener], { player: 'Tracy', score: 77 }, { 'x-request-id': requestId });
    expect(res.status).toBe(201);
    await waitFor(`the server span of ${requestId}`, () => serverSpanWith(requestId) !== undefined);
    const root = serverSpanWith(requestId)!;
    expect(root.resource['service.name']).toBe('drafty-bird');
    expect(root.resource['deployment.environment']).toBe('test');
    await waitFor('the score.submit span', () => spansOf(root.traceId).some((span) => span.name === 'score.submit'));
    expect(serverSpansOf(requestId)).toHaveLength(1);

    const line = server.logs.find((entry) => entry.request_id === requestId && entry.msg === 'request completed');
    expect(line).toMatchObject({ trace_id: root.traceId, span_id: expect.any(String) });
  });

  it('traces the leaderboard on the public listener like on the main one', async () => {
    await fetch(`${base.public}/leaderboard`, { headers: { 'x-request-id': 'trace-board-public' } });
    await waitFor('the public leaderboard trace', () => serverSpanWith('trace-board-public') !== undefined);
    await waitFor('its leaderboard.query', () => spansOf(serverSpanWith('trace-board-public')!.traceId).some((s) => s.name === 'leaderboard.query'));
    expect(serverSpansOf('trace-board-public')).toHaveLength(1);
  });

  it('exports leaderboard.query and never traces the probes or the scrape', async () => {
    await fetch(`${server.url}/healthz`);
    await fetch(`${server.url}/readyz`);
    await fetch(`${server.url}/metrics`);
    await fetch(`${server.url}/leaderboard`, { headers: { 'x-request-id': 'trace-board-1' } });
    await waitFor('the leaderboard trace', () => serverSpanWith('trace-board-1') !== undefined);
    await waitFor('leaderboard.query', () => spansOf(serverSpanWith('trace-board-1')!.traceId).some((s) => s.name === 'leaderboard.query'));
    const paths = receiver.spans.map((span) => String(span.attributes['url.path'] ?? span.attributes['http.target'] ?? span.attributes['http.route'] ?? ''));
    expect(paths).toContain('/leaderboard');
    for (const path of ['/healthz', '/readyz', '/metrics']) expect(paths).not.toContain(path);
  });

  it('marks requests hit by chaos on the server span and records a chaos.inject span', async () => {
    const put = await fetch(`${server.url}/chaos`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ enabled: true, errorRate: 1, latencyMsP50: 5, latencyMsP99: 5, routes: ['/score'] }),
    });
    expect(put.status).toBe(200);
    // Through the public listener, as a player's request arrives in every deployment.
    const res = await postScore(base.public, { score: 1 }, { 'x-request-id': 'trace-chaos-1' });
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ error: 'injected fault', request_id: 'trace-chaos-1', chaos: true });

    await waitFor('the chaos trace', () => serverSpanWith('trace-chaos-1') !== undefined);
    const root = serverSpanWith('trace-chaos-1')!;
    expect(serverSpansOf('trace-chaos-1')).toHaveLength(1);
    expect(root.attributes).toMatchObject({ 'chaos.injected': true, 'chaos.type': 'error', 'chaos.latency_ms': 5 });
    await waitFor('chaos.inject spans', () => spansOf(root.traceId).filter((s) => s.name === 'chaos.inject').length === 2);
    expect(spansOf(root.traceId).filter((s) => s.name === 'chaos.inject').map((s) => s.attributes['chaos.type']).sort()).toEqual(['error', 'latency']);

    const warning = server.logs.find((entry) => entry.request_id === 'trace-chaos-1' && entry.chaos_type === 'error');
    expect(warning).toMatchObject({ level: 'warn', trace_id: root.traceId });
  });
});

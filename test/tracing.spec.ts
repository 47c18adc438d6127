import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OtlpReceiver } from './support/otlp-receiver.js';
import { postScore, type ServerProcess, startServer } from './support/server-process.js';
import { waitFor } from './support/wait.js';

const TOKEN = 'tracing-admin-token-123456';

/** The production build exporting real spans over OTLP/HTTP to a receiver in this process. */
describe('traces and logs of a running service', () => {
  const receiver = new OtlpReceiver();
  let server: ServerProcess;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'drafty-bird-trace-'));
    const endpoint = await receiver.start();
    server = await startServer({
      SCORE_DB_PATH: join(dir, 'db.sqlite'),
      OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
      OTEL_BSP_SCHEDULE_DELAY: '100',
      OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment=test',
      CHAOS_ADMIN_TOKEN: TOKEN,
      SHUTDOWN_DELAY_MS: '0',
      LOG_LEVEL: 'info',
    });
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

  it('exports a server span carrying the request id, with a score.submit child, and logs its trace_id', async () => {
    const res = await postScore(server.url, { player: 'Tracy', score: 77 }, { 'x-request-id': 'trace-score-1' });
    expect(res.status).toBe(201);
    await waitFor('the server span of trace-score-1', () => serverSpanWith('trace-score-1') !== undefined);
    const root = serverSpanWith('trace-score-1')!;
    expect(root.resource['service.name']).toBe('drafty-bird');
    expect(root.resource['deployment.environment']).toBe('test');
    await waitFor('the score.submit span', () => spansOf(root.traceId).some((span) => span.name === 'score.submit'));

    const line = server.logs.find((entry) => entry.request_id === 'trace-score-1' && entry.msg === 'request completed');
    expect(line).toMatchObject({ trace_id: root.traceId, span_id: expect.any(String) });
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
    const res = await postScore(server.url, { score: 1 }, { 'x-request-id': 'trace-chaos-1' });
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ error: 'injected fault', request_id: 'trace-chaos-1', chaos: true });

    await waitFor('the chaos trace', () => serverSpanWith('trace-chaos-1') !== undefined);
    const root = serverSpanWith('trace-chaos-1')!;
    expect(root.attributes).toMatchObject({ 'chaos.injected': true, 'chaos.type': 'error', 'chaos.latency_ms': 5 });
    await waitFor('chaos.inject spans', () => spansOf(root.traceId).filter((s) => s.name === 'chaos.inject').length === 2);
    expect(spansOf(root.traceId).filter((s) => s.name === 'chaos.inject').map((s) => s.attributes['chaos.type']).sort()).toEqual(['error', 'latency']);

    const warning = server.logs.find((entry) => entry.request_id === 'trace-chaos-1' && entry.chaos_type === 'error');
    expect(warning).toMatchObject({ level: 'warn', trace_id: root.traceId });
  });
});

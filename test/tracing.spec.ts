import { once } from 'node:events';
import { type AddressInfo, connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { Agent, request } from 'undici';
import { parseConfig } from '../src/config/config.schema.ts';
import { CALLER_SPAN, CALLER_TRACE, traceparent, tracedApp } from './support/traced-app.ts';
import { waitFor } from './support/wait.ts';

/**
 * The request tracing hooks as a player's traffic meets them: the production pipeline on the real
 * public listener, a keep-alive client, a trace settings object parsed from OTEL_* variables as the
 * service parses them, and the spans read back from memory as they end.
 */
describe('request tracing through the public listener', () => {
  const traced = tracedApp();
  const { send, spansOf, serverSpan, parentOf } = traced;

  describe('every trace kept (the chart\'s default)', () => {
    beforeAll(() => traced.start({ CHAOS_ENABLED: 'true', CHAOS_ERROR_RATE: '1', CHAOS_ROUTES: '/leaderboard', CHAOS_HEADER: 'x-drafty-cohort=doomed' }));
    afterAll(traced.stop);

    it("POST /score continues the caller's W3C trace: one server span with the stable HTTP attributes, score.submit under it", async () => {
      const runRes = await send('/game-start', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      const run = (JSON.parse(runRes.text) as { run: { token: string } }).run.token;
      const res = await send('/score', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-request-id': 'trace-score-1', traceparent: traceparent(true), 'user-agent': 'tracing-spec' },
        body: JSON.stringify({ run, player: 'Tracer', score: 0 }),
      });
      expect(res.status).toBe(201);
      await waitFor('the score trace', () => spansOf('trace-score-1').some((span) => span.name === 'score.submit'));
      const spans = spansOf('trace-score-1');
      const server = serverSpan(spans);
      expect(server.name).toBe('POST /score');
      expect(server.spanContext().traceId).toBe(CALLER_TRACE);
      expect(parentOf(server)).toBe(CALLER_SPAN);
      expect(server.attributes).toMatchObject({
        'http.request.method': 'POST',
        'http.route': '/score',
        'http.response.status_code': 201,
        'url.path': '/score',
        'url.scheme': 'http',
        'server.port': (traced.publicAddress() as AddressInfo).port,
        'client.address': '127.0.0.1',
        'network.peer.address': '127.0.0.1',
        'network.protocol.version': '1.1',
        'user_agent.original': 'tracing-spec',
        'request.id': 'trace-score-1',
      });
      expect(server.status.code).toBe(0);
      expect(parentOf(spans.find((span) => span.name === 'score.submit')!)).toBe(server.spanContext().spanId);
    });

    it('bodies that arrive after their headers (a slow client), twice on one connection: score.submit nests under each request\'s own server span', async () => {
      const socket = connect(traced.publicAddress().port, '127.0.0.1');
      await once(socket, 'connect');
      for (const id of ['late-body-1', 'late-body-2']) {
        const runRes = await send('/game-start', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
        const body = JSON.stringify({ run: (JSON.parse(runRes.text) as { run: { token: string } }).run.token, score: 0 });
        socket.write(`POST /score HTTP/1.1\r\nhost: localhost\r\nx-request-id: ${id}\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\n\r\n`);
        // Its own packets, well after the headers: the body's events come from the connection.
        await sleep(30);
        socket.write(body.slice(0, 10));
        await sleep(30);
        socket.write(body.slice(10));
        const [answer] = (await once(socket, 'data')) as [Buffer];
        expect(answer.toString()).toMatch(/^HTTP\/1\.1 201/);
      }
      socket.destroy();
      for (const id of ['late-body-1', 'late-body-2']) {
        await waitFor(`the trace of ${id}`, () => spansOf(id).some((span) => span.name === 'score.submit'));
        const spans = spansOf(id);
        expect(parentOf(spans.find((span) => span.name === 'score.submit')!)).toBe(serverSpan(spans).spanContext().spanId);
      }
    });

    it('a client that goes away before its body is complete: the server span ends as aborted', async () => {
      const socket = connect(traced.publicAddress().port, '127.0.0.1');
      await once(socket, 'connect');
      socket.write('POST /score HTTP/1.1\r\nhost: localhost\r\nx-request-id: gone-1\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{"score":');
      await sleep(50);
      socket.destroy();
      await waitFor('the aborted request\'s span', () => spansOf('gone-1').length > 0);
      const server = serverSpan(spansOf('gone-1'));
      expect(server.attributes).toMatchObject({ 'error.type': 'aborted', 'url.path': '/score' });
      expect(server.attributes['http.response.status_code']).toBeUndefined();
    });

    it('requests on one keep-alive connection are separate root traces: no context leaks from one to the next', async () => {
      for (const id of ['ka-1', 'ka-2', 'ka-3']) expect((await send('/leaderboard?limit=3', { headers: { 'x-request-id': id } })).status).toBe(200);
      await waitFor('three traces', () => ['ka-1', 'ka-2', 'ka-3'].every((id) => spansOf(id).some((span) => span.name === 'leaderboard.query')));
      const servers = ['ka-1', 'ka-2', 'ka-3'].map((id) => serverSpan(spansOf(id)));
      expect(new Set(servers.map((span) => span.spanContext().traceId)).size).toBe(3);
      for (const server of servers) {
        expect(parentOf(server)).toBeUndefined();
        expect(server.name).toBe('GET /leaderboard');
        expect(server.attributes).toMatchObject({ 'url.path': '/leaderboard', 'url.query': 'limit=3', 'http.route': '/leaderboard' });
        const query = spansOf(server.attributes['request.id'] as string).find((span) => span.name === 'leaderboard.query')!;
        expect(parentOf(query)).toBe(server.spanContext().spanId);
      }
    });

    it('an injected 5xx: the server span is an error with chaos.* on it and the chaos.inject span under it', async () => {
      expect((await send('/leaderboard', { headers: { 'x-request-id': 'chaos-1', 'x-drafty-cohort': 'doomed' } })).status).toBeGreaterThanOrEqual(500);
      await waitFor('the chaos trace', () => spansOf('chaos-1').some((span) => span.name === 'chaos.inject'));
      const spans = spansOf('chaos-1');
      const server = serverSpan(spans);
      expect(server.status.code).toBe(2);
      expect(server.attributes).toMatchObject({ 'chaos.injected': true, 'chaos.type': 'error', 'error.type': String(server.attributes['http.response.status_code']) });
      expect(parentOf(spans.find((span) => span.name === 'chaos.inject')!)).toBe(server.spanContext().spanId);
    });

    it('a request refused on the public port is traced (404, no route); probes and scrapes never are', async () => {
      expect((await send('/no-such-page', { headers: { 'x-request-id': 'refused-1' } })).status).toBe(404);
      await waitFor('the refused trace', () => spansOf('refused-1').length > 0);
      const server = serverSpan(spansOf('refused-1'));
      expect(server.name).toBe('GET');
      expect(server.attributes['http.response.status_code']).toBe(404);
      expect(server.attributes['http.route']).toBeUndefined();
      traced.exporter().reset();
      expect((await send('/healthz', { headers: { 'x-request-id': 'probe-1' } })).status).toBe(200);
      const main = new Agent();
      const mainOrigin = `http://127.0.0.1:${(traced.app().app.getHttpServer().address() as AddressInfo).port}`;
      for (const path of ['/readyz', '/metrics', '/healthz?verbose=1']) await (await request(`${mainOrigin}${path}`, { dispatcher: main })).body.text();
      await main.close();
      expect((await send('/leaderboard', { headers: { 'x-request-id': 'after-probes' } })).status).toBe(200);
      await waitFor('the trace after the probes', () => spansOf('after-probes').length > 0);
      expect(traced.exporter().getFinishedSpans().map((span) => span.attributes['url.path']).filter(Boolean)).toEqual(['/leaderboard']);
    });

    it('the access log line of a request carries its trace id', async () => {
      await send('/leaderboard', { headers: { 'x-request-id': 'log-1' } });
      await waitFor('the trace', () => spansOf('log-1').length > 0);
      const line = traced.app().logs.find((entry) => entry.request_id === 'log-1' && entry.msg === 'request completed')!;
      expect(line.trace_id).toBe(serverSpan(spansOf('log-1')).spanContext().traceId);
    });
  });

  it('a sampler name the SDK does not know stops the start-up with the variable named', () => {
    expect(() => parseConfig({ OTEL_TRACES_SAMPLER: 'traceidraito', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' })).toThrow(/OTEL_TRACES_SAMPLER/);
    expect(() => parseConfig({ OTEL_TRACES_SAMPLER_ARG: '10', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' })).toThrow(/OTEL_TRACES_SAMPLER_ARG/);
  });
});

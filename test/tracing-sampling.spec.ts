import { CALLER_TRACE, traceparent, tracedApp } from './support/traced-app.ts';

/** Head sampling as OTEL_TRACES_SAMPLER configures it, on the public listener (see tracing.spec.ts). */
describe('request tracing with head sampling', () => {
  const traced = tracedApp();
  const { send, spansOf, serverSpan } = traced;

  describe('head sampling (OTEL_TRACES_SAMPLER=parentbased_traceidratio)', () => {
    beforeAll(() => traced.start({ OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.1' }));
    afterAll(traced.stop);

    it("keeps about a tenth of new traces, whole, and always a caller's sampled one", async () => {
      for (let i = 0; i < 300; i++) await send('/leaderboard', { headers: { 'x-request-id': `s-${i}` } });
      await send('/leaderboard', { headers: { 'x-request-id': 'sampled-by-caller', traceparent: traceparent(true) } });
      await send('/leaderboard', { headers: { 'x-request-id': 'dropped-by-caller', traceparent: traceparent(false, '1'.repeat(32)) } });
      const servers = traced.exporter().getFinishedSpans().filter((span) => span.kind === 1 && String(span.attributes['request.id']).startsWith('s-'));
      // Binomial(300, 0.1): 30 expected; outside 10..55 has a probability below 1e-6.
      expect(servers.length).toBeGreaterThanOrEqual(10);
      expect(servers.length).toBeLessThanOrEqual(55);
      for (const server of servers) expect(spansOf(server.attributes['request.id'] as string).map((span) => span.name).sort()).toEqual(['GET /leaderboard', 'leaderboard.query']);
      expect(serverSpan(spansOf('sampled-by-caller')).spanContext().traceId).toBe(CALLER_TRACE);
      expect(spansOf('dropped-by-caller')).toEqual([]);
      // A dropped trace leaves nothing behind: no child span of it is exported on its own.
      const keptTraces = new Set(traced.exporter().getFinishedSpans().filter((span) => span.kind === 1).map((span) => span.spanContext().traceId));
      expect(traced.exporter().getFinishedSpans().filter((span) => !keptTraces.has(span.spanContext().traceId))).toEqual([]);
    });

    it('an unsampled request still answers and still logs, without a trace id', async () => {
      const ids = Array.from({ length: 20 }, (_, i) => `u-${i}`);
      for (const id of ids) await send('/leaderboard', { headers: { 'x-request-id': id, traceparent: traceparent(false, '2'.repeat(32)) } });
      for (const id of ids) {
        const line = traced.app().logs.find((entry) => entry.request_id === id && entry.msg === 'request completed')!;
        expect(line).toBeDefined();
        expect(line.trace_id).toBeUndefined();
      }
    });
  });

});

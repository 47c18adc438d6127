import { spawnSync } from 'node:child_process';
import { describeWithTool, promtool } from './support/required-tool.ts';
import { json, startTestApp } from './support/test-app.ts';

describeWithTool('Prometheus exposition', promtool(), () => {
  it('`promtool check metrics` accepts /metrics after real traffic', async () => {
    const t = await startTestApp();
    try {
      await t.postScore({ score: 5 });
      await t.inject({ method: 'POST', url: '/game-start', headers: json, payload: '{}' });
      await t.inject({ method: 'GET', url: '/nowhere' });
      const metrics = (await t.inject({ method: 'GET', url: '/metrics' })).body;
      const check = spawnSync('promtool', ['check', 'metrics'], { input: metrics, encoding: 'utf8' });
      expect(`${check.stdout}${check.stderr}`.trim()).toBe('');
      expect(check.status).toBe(0);
      // The same metrics in OpenMetrics for a scraper that asks (Prometheus): valid there too, ending in # EOF.
      const open = await t.inject({ method: 'GET', url: '/metrics', headers: { accept: 'application/openmetrics-text;version=1.0.0,text/plain;q=0.5' } });
      expect(open.headers['content-type']).toMatch(/^application\/openmetrics-text; version=1\.0\.0/);
      expect(open.body.trimEnd().endsWith('# EOF')).toBe(true);
      expect(open.body).toContain('http_request_duration_seconds_bucket{');
      // …and the text format is still right after an OpenMetrics scrape (prom-client renames counters
      // while rendering OpenMetrics: a text view from the same objects once lost every `_total`).
      const after = (await t.inject({ method: 'GET', url: '/metrics' })).body;
      expect(after).toContain('# TYPE http_requests_total counter');
      expect(spawnSync('promtool', ['check', 'metrics'], { input: after, encoding: 'utf8' }).status).toBe(0);
    } finally {
      await t.close();
    }
  });
});

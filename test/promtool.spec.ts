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
    } finally {
      await t.close();
    }
  });
});

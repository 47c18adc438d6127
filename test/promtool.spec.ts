import { spawnSync } from 'node:child_process';
import { json, startTestApp } from './support/test-app.js';

const promtool = spawnSync('promtool', ['--version'], { encoding: 'utf8' });
const available = promtool.status === 0;

describe('Prometheus exposition', () => {
  if (!available) {
    // CI installs Debian's prometheus package (which carries promtool); a laptop may not have it.
    it('SKIPPED LOUDLY: promtool is not installed, so `promtool check metrics` cannot run here', () => {
      console.warn('\n*** promtool not found: install Debian package `prometheus` to check /metrics ***\n');
      if (process.env.CI === 'true') throw new Error('promtool must be installed in CI (.ci/run installs prometheus)');
    });
    return;
  }

  it('`promtool check metrics` accepts /metrics after real traffic', async () => {
    const t = await startTestApp();
    try {
      await t.inject({ method: 'POST', url: '/score', headers: json, payload: '{"score":5}' });
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

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { describeWithChromium, launchChromium, playOneRun, watchErrors } from './support/browser.ts';
import { type ServerProcess, startServer } from './support/server-process.ts';
import { waitFor } from './support/wait.ts';

describeWithChromium('the game in a real browser', () => {
  let browser: Browser;
  let dir: string;
  beforeAll(async () => {
    browser = await launchChromium();
    dir = mkdtempSync(join(tmpdir(), 'drafty-bird-browser-'));
  });
  afterAll(async () => {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  describe('with a healthy API', () => {
    let server: ServerProcess;
    beforeAll(async () => {
      server = await startServer({ SCORE_DB_PATH: join(dir, 'healthy.sqlite'), LOG_LEVEL: 'warn', SHUTDOWN_DELAY_MS: '0' });
    });
    afterAll(async () => {
      server.proc.kill('SIGTERM');
      await server.exited;
    });

    it('serves the page with a strict CSP and caching rules', async () => {
      const page = await fetch(`${server.url}/`);
      expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
      expect(page.headers.get('content-security-policy')).not.toContain('unsafe-inline');
      expect(page.headers.get('cache-control')).toBe('no-cache');
      expect(page.headers.get('x-content-type-options')).toBe('nosniff');
      const script = /src="(\/assets\/[^"]+\.js)"/.exec(await page.text())?.[1];
      expect(script).toBeDefined();
      const asset = await fetch(`${server.url}${script}`);
      expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      // Hashed names change every release: one route label for all of them keeps the series bounded.
      const metrics = await (await fetch(`${server.url}/metrics`)).text();
      expect(metrics).toMatch(/^http_requests_total\{route="\/assets\/\*",method="GET",status="200"\} 1$/m);
      expect(metrics).not.toContain(`route="${script}"`);
    });

    it('plays a run: name, start, flap, game over, score stored and shown on the leaderboard', async () => {
      const context = await browser.newContext();
      const page = await context.newPage();
      const errors = watchErrors(page);
      await page.goto(server.url);
      await page.locator('#player').fill('Browser <b>Tester</b>');
      await playOneRun(page);

      await waitFor('the score to be saved', async () => (await page.locator('#api-status').textContent()) === 'Score saved.');
      const board = (await (await fetch(`${server.url}/leaderboard`)).json()) as { leaderboard: Array<{ player: string }> };
      expect(board.leaderboard.map((entry) => entry.player)).toContain('Browser <b>Tester</b>');
      // The name is shown as text: the markup is visible, not interpreted.
      await waitFor('the leaderboard panel', async () => (await page.locator('#leaderboard').textContent())?.includes('Browser <b>Tester</b>') ?? false);
      expect(await page.locator('#leaderboard b').count()).toBe(0);
      expect(await page.locator('#start').textContent()).toBe('Restart');

      // The name is remembered for the next visit.
      await page.reload();
      expect(await page.locator('#player').inputValue()).toBe('Browser <b>Tester</b>');
      expect(errors).toEqual([]);
      await context.close();
    });
  });

  describe('with chaos failing every score submission', () => {
    let server: ServerProcess;
    beforeAll(async () => {
      server = await startServer({
        SCORE_DB_PATH: join(dir, 'chaos.sqlite'),
        LOG_LEVEL: 'error',
        SHUTDOWN_DELAY_MS: '0',
        CHAOS_ENABLED: 'true',
        CHAOS_ERROR_RATE: '1',
        CHAOS_ROUTES: '/score',
      });
    });
    afterAll(async () => {
      server.proc.kill('SIGTERM');
      await server.exited;
    });

    it('stays playable and tells the player the score was not saved', async () => {
      const context = await browser.newContext({ reducedMotion: 'reduce' });
      const page = await context.newPage();
      await page.goto(server.url);
      await playOneRun(page);
      await waitFor(
        'the failure to be reported',
        async () => /not saved/.test((await page.locator('#api-status').textContent()) ?? ''),
        20_000,
      );
      expect(await page.locator('#api-status').textContent()).toContain('injected fault');

      // Restart is focused after game over: the keyboard alone starts a new run while the API keeps failing.
      expect(await page.locator('#start:focus').count()).toBe(1);
      await page.keyboard.press('Enter');
      expect(await page.locator('body').getAttribute('data-phase')).toBe('idle');
      expect(await page.locator('#field:focus').count()).toBe(1);
      await page.keyboard.press('Space');
      await page.locator('body[data-phase="over"]').waitFor({ timeout: 15_000 });
      expect(await page.locator('body').getAttribute('data-phase')).toBe('over');
      await context.close();
    });
  });
});

import type { Browser } from 'playwright-core';
import { describeWithChromium, launchChromium, playOneRun, watchErrors } from '../test/support/browser.ts';
import { waitFor } from '../test/support/wait.ts';
import { Client } from './support/client.ts';
import { setChaos } from './support/admin.ts';
import { deploy, type Deployment } from './support/deployment.ts';

const HOSTILE = '<img src=x onerror=alert(1)>';

/** Scenario 8 (and the last part of 6): the game page against the same deployment. */
describeWithChromium('the game in a browser, against the deployment', () => {
  let d: Deployment;
  let client: Client;
  let browser: Browser;
  beforeAll(async () => {
    d = await deploy();
    client = new Client(d);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await d.stop();
  });

  it('serves the page with a strict CSP and caching rules, and one metric series for all hashed assets', async () => {
    const page = await client.request('/');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(page.headers.get('content-security-policy')).not.toContain('unsafe-inline');
    expect(page.headers.get('cache-control')).toBe('no-cache');
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(await page.text())?.[1];
    expect(script).toBeDefined();
    const asset = await client.request(script!);
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    await asset.arrayBuffer();
    // Hashed names change every release: one route label for all of them keeps the series bounded.
    const metrics = await (await client.request('/metrics')).text();
    expect(metrics).toMatch(/^http_requests_total\{route="\/assets\/\*",method="GET",status="200"\} \d+$/m);
    expect(metrics).not.toContain(`route="${script}"`);
  });

  it('plays a run, stores the score, shows it, renders a hostile name as text, and remembers the name', async () => {
    expect((await client.post('/score', { player: HOSTILE, score: 999_998 })).status).toBe(201);
    const context = await browser.newContext();
    const page = await context.newPage();
    const errors = watchErrors(page);
    let dialogs = 0;
    page.on('dialog', (dialog) => {
      dialogs += 1;
      void dialog.dismiss();
    });
    await page.goto(d.baseUrl);
    const player = `E2E <b>Browser</b> ${Date.now() % 100000}`;
    await page.locator('#player').fill(player);
    await playOneRun(page);
    await waitFor('the score to be saved', async () => (await page.locator('#api-status').textContent()) === 'Score saved.', 20_000);
    const board = (await client.json<{ leaderboard: Array<{ player: string }> }>('/leaderboard?limit=100')).leaderboard;
    expect(board.map((e) => e.player)).toContain(player);

    // Names are shown as text: the markup is visible, never interpreted.
    await waitFor('the hostile name in the panel', async () => (await page.locator('#leaderboard').textContent())?.includes(HOSTILE) ?? false);
    expect(await page.locator('#leaderboard img').count()).toBe(0);
    expect(await page.locator('#leaderboard b').count()).toBe(0);
    expect(dialogs).toBe(0);
    expect(await page.locator('#start').textContent()).toBe('Restart');

    // The name is remembered for the next visit.
    await page.reload();
    expect(await page.locator('#player').inputValue()).toBe(player);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('stays playable by keyboard and says why when chaos fails every score submission', async () => {
    await setChaos(client, d.adminToken, { enabled: true, errorRate: 1, routes: ['/score'] });
    try {
      const context = await browser.newContext({ reducedMotion: 'reduce' });
      const page = await context.newPage();
      await page.goto(d.baseUrl);
      await playOneRun(page);
      await waitFor('the failure to be reported', async () => /not saved/.test((await page.locator('#api-status').textContent()) ?? ''), 20_000);
      expect(await page.locator('#api-status').textContent()).toContain('injected fault');
      // Restart is focused after game over: the keyboard alone starts a new run while the API keeps failing.
      expect(await page.locator('#start:focus').count()).toBe(1);
      await page.keyboard.press('Enter');
      expect(await page.locator('body').getAttribute('data-phase')).toBe('idle');
      expect(await page.locator('#field:focus').count()).toBe(1);
      await page.keyboard.press('Space');
      await page.locator('body[data-phase="over"]').waitFor({ timeout: 15_000 });
      await context.close();
    } finally {
      await setChaos(client, d.adminToken, { enabled: false });
    }
  });
});

import type { Browser, Page } from 'playwright-core';
import { describeWithChromium, holdGameClock, launchChromium, playOneRun, playScoringRun, watchErrors } from '../test/support/browser.ts';
import { waitFor } from '../test/support/wait.ts';
import { Client } from './support/client.ts';
import { setChaos } from './support/admin.ts';
import { deploy, type Deployment } from './support/deployment.ts';

const HOSTILE = '<img src=x onerror=alert(1)>';

/** Whether the playing field looks different `ms` later (the page's clock running freely). */
async function canvasChangesWithin(page: Page, ms: number): Promise<boolean> {
  const frame = () => page.evaluate(() => (document.getElementById('field') as HTMLCanvasElement).toDataURL());
  const before = await frame();
  await page.waitForTimeout(ms);
  return (await frame()) !== before;
}

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

  it('asks for the name first, plays a real run whose score the server accepts, shows names as text, remembers the name', async () => {
    // A run for the hostile name, started now so it is old enough for its score when it is posted.
    const hostileRun = await client.startRun();
    const context = await browser.newContext();
    const page = await context.newPage();
    const errors = watchErrors(page);
    let dialogs = 0;
    page.on('dialog', (dialog) => {
      dialogs += 1;
      void dialog.dismiss();
    });
    await holdGameClock(page);
    await page.goto(`${d.baseUrl}/?seed=7`);

    // Before the first run: the name is asked for, and Enter saves it without starting a run.
    expect(await page.locator('#player:focus').count()).toBe(1);
    expect(await page.locator('#api-status').textContent()).toContain('Choose a name');
    const player = `E2E <b>Browser</b> ${Date.now() % 100000}`;
    await page.locator('#player').fill(`  ${player}\u200B `);
    await page.keyboard.press('Enter');
    expect(await page.locator('body').getAttribute('data-phase')).toBe('idle');
    expect(await page.locator('#playing-as').textContent()).toBe(player);
    expect(await page.locator('#api-status').getAttribute('data-tone')).toBe('success');
    expect(await page.locator('#field:focus').count()).toBe(1);

    const score = await playScoringRun(page, 2);
    expect(score).toBeGreaterThanOrEqual(2);
    // Motion allowed: the crash shakes the field and the room keeps drifting afterwards.
    expect(await canvasChangesWithin(page, 300)).toBe(true);
    await waitFor('the score to be saved', async () => (await page.locator('#api-status').textContent()) === 'Score saved.', 20_000);
    expect(await page.locator('#api-status').getAttribute('data-tone')).toBe('success');
    expect(await page.locator('#best').textContent()).toBe(String(score));
    const board = (await client.json<{ leaderboard: Array<{ player: string; score: number }> }>('/leaderboard?limit=100')).leaderboard;
    expect(board).toContainEqual(expect.objectContaining({ player, score }));

    // Names are shown as text: the markup is visible, never interpreted.
    expect((await client.postScore({ player: HOSTILE, score: 3 }, { run: hostileRun })).status).toBe(201);
    await page.reload();
    await waitFor('the hostile name in the panel', async () => (await page.locator('#leaderboard').textContent())?.includes(HOSTILE) ?? false);
    expect(await page.locator('#leaderboard img').count()).toBe(0);
    expect(await page.locator('#leaderboard b').count()).toBe(0);
    expect(dialogs).toBe(0);
    // The name is remembered for the next visit, and no longer asked for.
    expect(await page.locator('#player').inputValue()).toBe(player);
    expect(await page.locator('#player:focus').count()).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  }, 90_000);

  it('does not submit a run that scored nothing', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const scores: string[] = [];
    page.on('request', (request) => {
      if (new URL(request.url()).pathname === '/score') scores.push(request.method());
    });
    await page.goto(d.baseUrl);
    await playOneRun(page);
    expect(await page.locator('#score').textContent()).toBe('0');
    await waitFor('the no-points line', async () => /No points/.test((await page.locator('#api-status').textContent()) ?? ''));
    expect(scores).toEqual([]);
    await context.close();
  });

  it('stays playable by keyboard and says why, in the error style, when chaos fails every score submission', async () => {
    await setChaos(client, d.adminToken, { enabled: true, errorRate: 1, routes: ['/score'] });
    try {
      const context = await browser.newContext({ reducedMotion: 'reduce' });
      const page = await context.newPage();
      await holdGameClock(page);
      await page.goto(`${d.baseUrl}/?seed=7`);
      await page.locator('#field').focus();
      expect(await playScoringRun(page, 1)).toBeGreaterThanOrEqual(1);
      // Reduced motion: no flash, shake or drift — the crash is a still frame.
      expect(await canvasChangesWithin(page, 300)).toBe(false);
      await waitFor('the failure to be reported', async () => /not saved/.test((await page.locator('#api-status').textContent()) ?? ''), 30_000);
      expect(await page.locator('#api-status').textContent()).toContain('injected fault');
      expect(await page.locator('#api-status').getAttribute('data-tone')).toBe('error');
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
  }, 90_000);

  it('fits a phone: no sideways scrolling, the score and controls on screen, a tap flaps', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 3, isMobile: true, hasTouch: true });
    const page = await context.newPage();
    await page.goto(d.baseUrl);
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    for (const selector of ['#score', '#field', '#start', '#player']) {
      const box = (await page.locator(selector).boundingBox())!;
      expect({ selector, inside: box.x >= 0 && box.x + box.width <= 390 }).toEqual({ selector, inside: true });
    }
    await page.locator('#field').tap();
    await waitFor('a tap to start the run', async () => (await page.locator('body').getAttribute('data-phase')) !== 'idle', 5000);
    await context.close();
  });
});

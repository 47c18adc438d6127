import type { Browser } from 'playwright-core';
import { describeWithChromium, launchChromium, playOneRun, watchErrors } from '../test/support/browser.ts';
import { waitFor } from '../test/support/wait.ts';
import { Client } from './support/client.ts';
import { deploy, type Deployment, isExternal } from './support/deployment.ts';

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

  it('plays a run, stores the score, shows it, and renders a hostile name as text', async () => {
    expect((await client.post('/score', { player: HOSTILE, score: 999_998 })).status).toBe(201);
    const page = await browser.newPage();
    const errors = watchErrors(page);
    let dialogs = 0;
    page.on('dialog', (dialog) => {
      dialogs += 1;
      void dialog.dismiss();
    });
    await page.goto(d.baseUrl);
    const player = `E2E Browser ${Date.now() % 100000}`;
    await page.locator('#player').fill(player);
    await playOneRun(page);
    await waitFor('the score to be saved', async () => (await page.locator('#api-status').textContent()) === 'Score saved.', 20_000);
    const board = (await client.json<{ leaderboard: Array<{ player: string }> }>('/leaderboard?limit=100')).leaderboard;
    expect(board.map((e) => e.player)).toContain(player);

    await waitFor('the hostile name in the panel', async () => (await page.locator('#leaderboard').textContent())?.includes(HOSTILE) ?? false);
    expect(await page.locator('#leaderboard img').count()).toBe(0);
    expect(dialogs).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('stays playable and reports the failure when chaos fails every score submission', async () => {
    let target = d;
    if (isExternal()) {
      if (!d.adminToken) throw new Error('CHAOS_ADMIN_TOKEN is required to inject failures into an existing deployment');
      const res = await client.request('/chaos', {
        method: 'PUT',
        headers: { authorization: `Bearer ${d.adminToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ enabled: true, errorRate: 1, routes: ['/score'] }),
      });
      expect(res.status).toBe(200);
    } else {
      target = await deploy({ env: { CHAOS_ENABLED: 'true', CHAOS_ERROR_RATE: '1', CHAOS_ROUTES: '/score' } });
    }
    try {
      const page = await browser.newPage({ reducedMotion: 'reduce' });
      await page.goto(target.baseUrl);
      await playOneRun(page);
      await waitFor('the failure to be reported', async () => /not saved/.test((await page.locator('#api-status').textContent()) ?? ''), 20_000);
      await page.keyboard.press('Enter');
      expect(await page.locator('body').getAttribute('data-phase')).toBe('idle');
      await page.keyboard.press('Space');
      await page.locator('body[data-phase="over"]').waitFor({ timeout: 15_000 });
      await page.close();
    } finally {
      if (isExternal()) {
        await client.request('/chaos', { method: 'PUT', headers: { authorization: `Bearer ${d.adminToken}`, 'content-type': 'application/json' }, body: '{"enabled":false}' });
      } else {
        await target.stop();
      }
    }
  });
});

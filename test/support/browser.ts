import { existsSync } from 'node:fs';
import { type Browser, chromium, type Page } from 'playwright-core';
import { describeWithTool } from './required-tool.ts';
import { waitFor } from './wait.ts';

/** Debian's chromium; browser downloads are not possible on these machines. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const chromiumAvailable = () => existsSync(CHROMIUM);

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      // Without these, Chromium keeps dialling Google on a machine that cannot reach it.
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Collects everything the page complains about; a clean page has none. */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  return errors;
}

/** Starts a run, flaps a few times, then lets the detector fall to the carpet. */
export async function playOneRun(page: Page): Promise<void> {
  await page.locator('#start').click();
  await waitFor('the run to start', async () => (await page.locator('body').getAttribute('data-phase')) === 'running', 5000);
  for (let i = 0; i < 3; i++) {
    await page.keyboard.press('Space');
    await page.waitForTimeout(150);
  }
  await page.locator('body[data-phase="over"]').waitFor({ timeout: 15_000 });
}

/** Browser tests: skipped loudly where Debian's chromium is missing, a failure in CI. */
export function describeWithChromium(name: string, fn: () => void): void {
  describeWithTool(name, { available: chromiumAvailable(), what: CHROMIUM, debianPackage: 'chromium' }, fn);
}

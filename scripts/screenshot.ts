// Takes docs/screenshot.png of the game in play from a running service:
//   npm start &  node --experimental-strip-types scripts/screenshot.ts [http://localhost:8080]
import { launchChromium } from '../test/support/browser.ts';

const url = process.argv[2] ?? 'http://localhost:8080';
const browser = await launchChromium();
const page = await browser.newPage({ viewport: { width: 1280, height: 760 } });
await page.goto(`${url}/?seed=20261123`);
await page.locator('#player').fill('Ada');
await page.locator('#start').click();
// Flap in rhythm long enough for a few ducts to scroll in.
const rhythm = Number(process.env.FLAP_MS ?? 420);
for (let i = 0; i < Number(process.env.FLAPS ?? 14); i++) {
  await page.keyboard.press('Space');
  await page.waitForTimeout(rhythm);
}
await page.screenshot({ path: 'docs/screenshot.png' });
await browser.close();

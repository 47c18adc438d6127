// Takes docs/screenshot.png of the game from a running service: a real run, played by the browser
// test's autopilot, at the moment it ends (new best, score saved).
//   npm start &  node --experimental-strip-types scripts/screenshot.ts [http://localhost:8080]
import { holdGameClock, launchChromium, playScoringRun } from '../test/support/browser.ts';

const url = process.argv[2] ?? 'http://localhost:8080';
const browser = await launchChromium();
const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
await holdGameClock(page);
await page.goto(`${url}/?seed=7`);
await page.locator('#player').fill('Ada');
await page.keyboard.press('Enter');
await playScoringRun(page, Number(process.env.POINTS ?? 3));
await page.locator('#api-status[data-tone="success"]', { hasText: 'Score saved.' }).waitFor({ timeout: 20_000 });
// The crash flash has faded: the picture shows what stays on screen.
await page.waitForTimeout(1000);
await page.screenshot({ path: 'docs/screenshot.png' });
await browser.close();

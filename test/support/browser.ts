// page.evaluate callbacks below run in the browser: they are typed against the DOM.
/// <reference lib="dom" />
import { existsSync } from 'node:fs';
import { type Browser, chromium, type Page } from 'playwright-core';
import { CEILING_HEIGHT, DETECTOR_RADIUS, DETECTOR_X, FIELD_HEIGHT, FLOOR_HEIGHT } from '../../src/game/field.ts';
import { COLORS as GAME_COLORS } from '../../web/src/palette.ts';
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

const STEP_MS = 1000 / 60;
const GAME_FIELD = { detectorX: DETECTOR_X, radius: DETECTOR_RADIUS, playTop: CEILING_HEIGHT, playBottom: FIELD_HEIGHT - FLOOR_HEIGHT };

/** What a player sees on the canvas: the detector's height, the next gap, and the page's phase and score. */
interface Seen {
  detectorY: number | undefined;
  gap: { top: number; bottom: number } | undefined;
  phase: string | undefined;
  score: number;
}

/** Reads the playing field's pixels for the detector and the nearest duct still ahead of it. */
function look(page: Page): Promise<Seen> {
  return page.evaluate(({ colors, field }) => {
    const canvas = document.getElementById('field') as HTMLCanvasElement;
    const { width, height } = canvas;
    const pixels = (canvas.getContext('2d') as CanvasRenderingContext2D).getImageData(0, 0, width, height).data;
    const rgb = (hex: string) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
    const [detector, duct, edge] = [colors.detector, colors.duct, colors.ductEdge].map(rgb);
    const is = (x: number, y: number, color: number[]) => {
      const i = (y * width + x) * 4;
      return Math.abs(pixels[i]! - color[0]!) + Math.abs(pixels[i + 1]! - color[1]!) + Math.abs(pixels[i + 2]! - color[2]!) < 40;
    };
    const isDuct = (x: number, y: number) => is(x, y, duct!) || is(x, y, edge!);
    const column = field.detectorX - 10;
    const yellow = Array.from({ length: height }, (_, y) => y).filter((y) => is(column, y, detector!));
    const detectorY = yellow.length ? (yellow[0]! + yellow.at(-1)!) / 2 : undefined;
    const row = field.playTop + 4;
    let ductX: number | undefined;
    for (let x = field.detectorX - field.radius; x < width && ductX === undefined; x++) if (isDuct(x, row)) ductX = x;
    let gap: Seen['gap'];
    if (ductX !== undefined) {
      const x = Math.min(width - 1, ductX + 6);
      let top = field.playTop + 4;
      while (top < field.playBottom && isDuct(x, top)) top++;
      let bottom = field.playBottom - 4;
      while (bottom > top && isDuct(x, bottom)) bottom--;
      gap = { top, bottom };
    }
    return { detectorY, gap, phase: document.body.dataset.phase, score: Number(document.getElementById('score')?.textContent ?? 0) };
  }, { colors: GAME_COLORS, field: GAME_FIELD });
}

/** Call before `page.goto`: the page's clock (requestAnimationFrame included) then moves only when told. */
export async function holdGameClock(page: Page): Promise<void> {
  await page.clock.install();
}

/**
 * Plays a run as a person does — looks at the canvas, presses Space — until `points` ducts are passed,
 * then lets the detector fall. The page's clock moves one frame at a time, so no frame is missed, but
 * never ahead of real time: the server checks a score against how long its run lasted. Returns the
 * score. Needs `holdGameClock` before the page loaded, and focus on the playing field.
 */
export async function playScoringRun(page: Page, points: number): Promise<number> {
  await page.clock.pauseAt(Date.now() + 1000);
  await page.keyboard.press('Space');
  const began = Date.now();
  let played = 0;
  let previousY: number | undefined;
  for (let frame = 0; frame < 60 * 60; frame++) {
    await page.clock.runFor(STEP_MS + 0.5);
    played += STEP_MS + 0.5;
    const seen = await look(page);
    if (seen.phase === 'over') {
      await page.clock.resume();
      return seen.score;
    }
    const { detectorY: y, gap } = seen;
    if (y !== undefined && seen.score < points) {
      const target = gap ? (gap.top + gap.bottom) / 2 + (gap.bottom - gap.top) * 0.2 : GAME_FIELD.playBottom / 2;
      if (previousY !== undefined && y > previousY && y > target) await page.keyboard.press('Space');
    }
    previousY = y;
    const ahead = played - (Date.now() - began);
    if (ahead > 0) await new Promise((resolve) => setTimeout(resolve, ahead));
  }
  throw new Error('the run did not end within a minute of game time');
}

/** Browser tests: skipped loudly where Debian's chromium is missing, a failure in CI. */
export function describeWithChromium(name: string, fn: () => void): void {
  describeWithTool(name, { available: chromiumAvailable(), what: CHROMIUM, debianPackage: 'chromium' }, fn);
}

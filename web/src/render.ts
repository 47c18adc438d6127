import { CEILING_HEIGHT, DETECTOR_RADIUS, DETECTOR_X, DUCT_SPEED, DUCT_WIDTH, FIELD_HEIGHT, FIELD_WIDTH, FLOOR_HEIGHT } from '../../src/game/field.ts';
import type { Duct, GameSnapshot } from './game/core';
import { COLORS } from './palette';

/** What happened at the end of a run, for the crash and new-best moments. */
export interface Effects {
  /** The display frame the run ended on. */
  crashedAtFrame?: number;
  newBest: boolean;
}

const CRASH_FRAMES = 24;
const PLAY_TOP = CEILING_HEIGHT;
const PLAY_BOTTOM = FIELD_HEIGHT - FLOOR_HEIGHT;

const CRASH_TITLES = { duct: 'Into the ductwork!', ceiling: 'Hit the ceiling tiles!', floor: 'Down on the carpet!' } as const;

/**
 * Draws one frame. `animate` is false when the player prefers reduced motion: then nothing moves
 * that the game itself does not move, and the crash is a static mark instead of a flash and shake.
 */
export function render(ctx: CanvasRenderingContext2D, game: GameSnapshot, frame: number, animate: boolean, effects: Effects): void {
  const sinceCrash = effects.crashedAtFrame === undefined ? Infinity : frame - effects.crashedAtFrame;
  const shaking = animate && sinceCrash < CRASH_FRAMES;
  ctx.save();
  if (shaking) ctx.translate(Math.sin(sinceCrash * 1.7) * 5 * (1 - sinceCrash / CRASH_FRAMES), 0);
  ctx.fillStyle = COLORS.sky;
  ctx.fillRect(-10, 0, FIELD_WIDTH + 20, FIELD_HEIGHT);
  drawWallpaper(ctx, animate ? frame : 0);
  for (const duct of game.ducts) drawDuct(ctx, duct, animate ? frame : 0);
  // The room scrolls with the ducts: the ceiling and carpet move at their speed.
  const scroll = game.steps * DUCT_SPEED;
  drawCeiling(ctx, scroll);
  drawCarpet(ctx, scroll);
  drawDetector(ctx, game.detector.y, animate ? game.detector.spin : 0);
  if (game.phase === 'over') drawCrashMark(ctx, game.detector.y);
  ctx.restore();
  if (shaking) {
    ctx.fillStyle = `rgba(208, 49, 45, ${0.35 * (1 - sinceCrash / CRASH_FRAMES)})`;
    ctx.fillRect(0, 0, FIELD_WIDTH, FIELD_HEIGHT);
  }
  // Banners sit right of the detector, never over it.
  if (game.phase === 'idle') banner(ctx, ['Press Space, click or tap to start', 'Fly through the gaps; the ceiling and the carpet end a run.']);
  if (game.phase === 'over') {
    const title = game.crash ? CRASH_TITLES[game.crash] : 'Game over';
    banner(ctx, [`${title} Score ${game.score}`, 'Press Restart (or Enter) to fly again.'], effects.newBest && game.score > 0 ? `New best: ${game.score}!` : undefined);
  }
}

function drawWallpaper(ctx: CanvasRenderingContext2D, frame: number): void {
  ctx.strokeStyle = COLORS.wall;
  ctx.lineWidth = 2;
  const offset = (frame * 0.5) % 80;
  for (let x = -offset; x < FIELD_WIDTH; x += 80) {
    ctx.beginPath();
    ctx.moveTo(x, PLAY_TOP);
    ctx.lineTo(x, PLAY_BOTTOM);
    ctx.stroke();
  }
}

function drawCeiling(ctx: CanvasRenderingContext2D, scroll: number): void {
  ctx.fillStyle = COLORS.ceiling;
  ctx.fillRect(-10, 0, FIELD_WIDTH + 20, PLAY_TOP);
  ctx.strokeStyle = COLORS.ceilingSeam;
  ctx.lineWidth = 2;
  ctx.beginPath();
  ctx.moveTo(-10, PLAY_TOP - 1);
  ctx.lineTo(FIELD_WIDTH + 10, PLAY_TOP - 1);
  for (let x = -(scroll % 64); x < FIELD_WIDTH; x += 64) {
    ctx.moveTo(x, 0);
    ctx.lineTo(x, PLAY_TOP);
  }
  ctx.stroke();
}

function drawCarpet(ctx: CanvasRenderingContext2D, scroll: number): void {
  ctx.fillStyle = COLORS.carpet;
  ctx.fillRect(-10, PLAY_BOTTOM, FIELD_WIDTH + 20, FLOOR_HEIGHT);
  ctx.fillStyle = COLORS.carpetWeave;
  for (let x = -(scroll % 24); x < FIELD_WIDTH; x += 24) {
    ctx.fillRect(x, PLAY_BOTTOM + 8, 12, 4);
    ctx.fillRect(x + 12, PLAY_BOTTOM + 18, 12, 4);
  }
}

function drawDuct(ctx: CanvasRenderingContext2D, duct: Duct, frame: number): void {
  const top = duct.gapCenter - duct.gapHeight / 2;
  const bottom = duct.gapCenter + duct.gapHeight / 2;
  ctx.fillStyle = COLORS.duct;
  ctx.strokeStyle = COLORS.ductEdge;
  ctx.lineWidth = 3;
  for (const [y, h] of [
    [PLAY_TOP, top - PLAY_TOP],
    [bottom, PLAY_BOTTOM - bottom],
  ] as const) {
    ctx.fillRect(duct.x, y, DUCT_WIDTH, h);
    ctx.strokeRect(duct.x, y, DUCT_WIDTH, h);
  }
  // Draft arrows in the gap: colour is the direction, count is the level.
  ctx.strokeStyle = duct.direction < 0 ? COLORS.draftUp : COLORS.draftDown;
  ctx.lineWidth = 3;
  const drift = ((frame * 1.5) % 24) * duct.direction;
  for (let i = 0; i < duct.level; i++) {
    const x = duct.x + (DUCT_WIDTH / (duct.level + 1)) * (i + 1);
    const y = duct.gapCenter + drift;
    ctx.beginPath();
    ctx.moveTo(x, y - 14 * duct.direction);
    ctx.lineTo(x, y + 14 * duct.direction);
    ctx.lineTo(x - 6, y + 6 * duct.direction);
    ctx.moveTo(x, y + 14 * duct.direction);
    ctx.lineTo(x + 6, y + 6 * duct.direction);
    ctx.stroke();
  }
}

function drawDetector(ctx: CanvasRenderingContext2D, y: number, spin: number): void {
  ctx.fillStyle = COLORS.detector;
  ctx.strokeStyle = COLORS.detectorEdge;
  ctx.lineWidth = 3;
  ctx.beginPath();
  ctx.arc(DETECTOR_X, y, DETECTOR_RADIUS, 0, Math.PI * 2);
  ctx.fill();
  ctx.stroke();
  // The three-arm anemometer with its cups.
  ctx.strokeStyle = COLORS.arm;
  ctx.fillStyle = COLORS.arm;
  ctx.lineWidth = 2;
  for (let arm = 0; arm < 3; arm++) {
    const angle = spin + (arm * Math.PI * 2) / 3;
    const ex = DETECTOR_X + Math.cos(angle) * (DETECTOR_RADIUS - 4);
    const ey = y + Math.sin(angle) * (DETECTOR_RADIUS - 4);
    ctx.beginPath();
    ctx.moveTo(DETECTOR_X, y);
    ctx.lineTo(ex, ey);
    ctx.stroke();
    ctx.beginPath();
    ctx.arc(ex, ey, 3.5, 0, Math.PI * 2);
    ctx.fill();
  }
}

/** Where the run ended: a ring around the detector, shown with or without motion. */
function drawCrashMark(ctx: CanvasRenderingContext2D, y: number): void {
  ctx.strokeStyle = COLORS.crash;
  ctx.lineWidth = 4;
  ctx.setLineDash([6, 5]);
  ctx.beginPath();
  ctx.arc(DETECTOR_X, y, DETECTOR_RADIUS + 9, 0, Math.PI * 2);
  ctx.stroke();
  ctx.setLineDash([]);
}

function banner(ctx: CanvasRenderingContext2D, lines: readonly [string, string], highlight?: string): void {
  const left = 380;
  const width = FIELD_WIDTH - left - 40;
  const height = highlight ? 132 : 92;
  const top = PLAY_TOP + 36;
  ctx.fillStyle = COLORS.banner;
  ctx.beginPath();
  ctx.roundRect(left, top, width, height, 12);
  ctx.fill();
  ctx.textAlign = 'center';
  const middle = left + width / 2;
  let y = top + 38;
  if (highlight) {
    ctx.fillStyle = COLORS.gold;
    ctx.font = 'bold 30px system-ui, sans-serif';
    ctx.fillText(highlight, middle, y);
    y += 40;
  }
  ctx.fillStyle = '#ffffff';
  ctx.font = 'bold 26px system-ui, sans-serif';
  ctx.fillText(lines[0], middle, y);
  ctx.font = '18px system-ui, sans-serif';
  ctx.fillText(lines[1], middle, y + 30);
}

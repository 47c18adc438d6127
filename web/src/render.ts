import { DETECTOR_RADIUS, DETECTOR_X, DUCT_WIDTH, FIELD_HEIGHT, FIELD_WIDTH } from '../../src/game/field.ts';
import type { Duct, GameSnapshot } from './game/core';

const COLORS = {
  sky: '#dbe9f4',
  wall: '#c7d6e3',
  duct: '#8a97a5',
  ductEdge: '#5d6975',
  draftUp: '#3d7bd9',
  draftDown: '#d9673d',
  detector: '#f4c542',
  detectorEdge: '#9a7410',
  arm: '#3a3a3a',
  text: '#17324d',
};

/** Draws one frame of the game; `animate` is false when the player prefers reduced motion. */
export function render(ctx: CanvasRenderingContext2D, game: GameSnapshot, frame: number, animate: boolean): void {
  ctx.fillStyle = COLORS.sky;
  ctx.fillRect(0, 0, FIELD_WIDTH, FIELD_HEIGHT);
  drawWallpaper(ctx, animate ? frame : 0);
  for (const duct of game.ducts) drawDuct(ctx, duct, animate ? frame : 0);
  drawDetector(ctx, game.detector.y, animate ? game.detector.spin : 0);
  ctx.fillStyle = COLORS.text;
  ctx.font = 'bold 44px system-ui, sans-serif';
  ctx.textAlign = 'center';
  ctx.fillText(String(game.score), FIELD_WIDTH / 2, 64);
  if (game.phase === 'idle') banner(ctx, 'Press Space, click or tap to start');
  if (game.phase === 'over') banner(ctx, 'Game over — press Restart');
}

function drawWallpaper(ctx: CanvasRenderingContext2D, frame: number): void {
  ctx.strokeStyle = COLORS.wall;
  ctx.lineWidth = 2;
  const offset = (frame * 0.5) % 80;
  for (let x = -offset; x < FIELD_WIDTH; x += 80) {
    ctx.beginPath();
    ctx.moveTo(x, 0);
    ctx.lineTo(x, FIELD_HEIGHT);
    ctx.stroke();
  }
}

function drawDuct(ctx: CanvasRenderingContext2D, duct: Duct, frame: number): void {
  const top = duct.gapCenter - duct.gapHeight / 2;
  const bottom = duct.gapCenter + duct.gapHeight / 2;
  ctx.fillStyle = COLORS.duct;
  ctx.strokeStyle = COLORS.ductEdge;
  ctx.lineWidth = 3;
  for (const [y, h] of [
    [0, top],
    [bottom, FIELD_HEIGHT - bottom],
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

function banner(ctx: CanvasRenderingContext2D, text: string): void {
  ctx.fillStyle = 'rgba(23, 50, 77, 0.78)';
  ctx.fillRect(FIELD_WIDTH / 2 - 300, FIELD_HEIGHT / 2 - 40, 600, 80);
  ctx.fillStyle = '#ffffff';
  ctx.font = 'bold 28px system-ui, sans-serif';
  ctx.textAlign = 'center';
  ctx.fillText(text, FIELD_WIDTH / 2, FIELD_HEIGHT / 2 + 10);
}

import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import {
  CEILING_HEIGHT,
  DETECTOR_RADIUS,
  DETECTOR_X,
  DRAFT_PUSH_PER_LEVEL,
  DUCT_SPACING,
  DUCT_SPEED,
  DUCT_WIDTH,
  FIELD_HEIGHT,
  FIELD_WIDTH,
  FIRST_DUCT_X,
  FLOOR_HEIGHT,
  FLAP_VELOCITY,
  GAP_HEIGHTS,
  GAP_MARGIN,
  GRAVITY,
  MAX_FALL_SPEED,
  MAX_GAP_SHIFT,
  STATUS_EVERY,
} from '../../../src/game/field.ts';
import { statusLineFor } from './status-lines';

export type Phase = 'idle' | 'running' | 'over';
export type DraftLevel = 1 | 2 | 3;
/** -1 pushes the detector up, +1 pushes it down. */
export type DraftDirection = -1 | 1;

export interface Duct {
  id: number;
  /** Left edge. */
  x: number;
  gapCenter: number;
  gapHeight: number;
  level: DraftLevel;
  direction: DraftDirection;
  passed: boolean;
}

export interface Detector {
  y: number;
  vy: number;
  /** Anemometer rotation in radians: decorative, but deterministic like everything else. */
  spin: number;
}

export interface GameSnapshot {
  readonly phase: Phase;
  readonly steps: number;
  readonly score: number;
  readonly detector: Readonly<Detector>;
  readonly ducts: readonly Readonly<Duct>[];
  readonly statusLine: string;
  readonly crash?: 'duct' | 'ceiling' | 'floor';
}

export interface StepInput {
  flap: boolean;
}

/**
 * The whole game as a deterministic state machine: no DOM, no timers, no Math.random. The same seed
 * and the same inputs, step for step, give the same run.
 */
export class Game {
  private phase: Phase = 'idle';
  private steps = 0;
  private score = 0;
  private readonly detector: Detector = { y: FIELD_HEIGHT / 2, vy: 0, spin: 0 };
  private ducts: Duct[] = [];
  private nextDuctId = 0;
  private statusLine = 'Press Space, click or tap to flap.';
  private crash?: GameSnapshot['crash'];
  private readonly random: () => number;

  constructor(readonly seed: number) {
    const rng = xoroshiro128plus(seed);
    this.random = () => uniformFloat64(rng);
    let x = FIRST_DUCT_X;
    let previous = FIELD_HEIGHT / 2;
    while (x < FIELD_WIDTH + DUCT_SPACING * 4) {
      const duct = this.makeDuct(x, previous);
      this.ducts.push(duct);
      previous = duct.gapCenter;
      x += DUCT_SPACING;
    }
  }

  snapshot(): GameSnapshot {
    return {
      phase: this.phase,
      steps: this.steps,
      score: this.score,
      detector: { ...this.detector },
      ducts: this.ducts.map((duct) => ({ ...duct })),
      statusLine: this.statusLine,
      crash: this.crash,
    };
  }

  get currentPhase(): Phase {
    return this.phase;
  }

  get currentScore(): number {
    return this.score;
  }

  /** Advances one fixed 1/60 s step. A flap while idle starts the run. */
  step(input: StepInput): void {
    if (this.phase === 'over') return;
    if (this.phase === 'idle') {
      this.detector.spin += 0.05;
      this.detector.y = FIELD_HEIGHT / 2 + Math.sin(this.detector.spin) * 6;
      if (!input.flap) return;
      this.phase = 'running';
      this.statusLine = 'Detecting drafts…';
    }
    this.steps += 1;
    this.moveDetector(input.flap);
    this.moveDucts();
    this.checkCollisions();
  }

  private moveDetector(flap: boolean): void {
    const d = this.detector;
    if (flap) d.vy = FLAP_VELOCITY;
    d.vy = Math.min(MAX_FALL_SPEED, d.vy + GRAVITY + this.draftPush());
    d.y += d.vy;
    d.spin += 0.15 + Math.abs(d.vy) * 0.02;
  }

  /** Inside a duct's span the draft pushes up or down, harder for higher levels. */
  private draftPush(): number {
    const duct = this.ducts.find((candidate) => overlapsX(candidate));
    return duct ? duct.direction * duct.level * DRAFT_PUSH_PER_LEVEL : 0;
  }

  private moveDucts(): void {
    for (const duct of this.ducts) {
      duct.x -= DUCT_SPEED;
      if (!duct.passed && duct.x + DUCT_WIDTH < DETECTOR_X - DETECTOR_RADIUS) {
        duct.passed = true;
        this.score += 1;
        if (this.score % STATUS_EVERY === 0) this.statusLine = statusLineFor(this.score);
      }
    }
    const first = this.ducts[0];
    if (first && first.x + DUCT_WIDTH < 0) {
      this.ducts.shift();
      const last = this.ducts[this.ducts.length - 1] as Duct;
      this.ducts.push(this.makeDuct(last.x + DUCT_SPACING, last.gapCenter));
    }
  }

  private checkCollisions(): void {
    const { y } = this.detector;
    if (y - DETECTOR_RADIUS <= CEILING_HEIGHT) return this.end('ceiling');
    if (y + DETECTOR_RADIUS >= FIELD_HEIGHT - FLOOR_HEIGHT) return this.end('floor');
    for (const duct of this.ducts) {
      if (hitsDuct(y, duct)) return this.end('duct');
    }
  }

  private end(crash: NonNullable<GameSnapshot['crash']>): void {
    this.phase = 'over';
    this.crash = crash;
    this.statusLine = `Game over: ${CRASH_LINES[crash]} Score ${this.score}.`;
  }

  private makeDuct(x: number, previousCenter: number): Duct {
    const level = (1 + Math.floor(this.random() * 3)) as DraftLevel;
    const gapHeight: number = GAP_HEIGHTS[level - 1] ?? GAP_HEIGHTS[0];
    const direction: DraftDirection = this.random() < 0.5 ? -1 : 1;
    const wanted = previousCenter + (this.random() * 2 - 1) * MAX_GAP_SHIFT;
    return { id: this.nextDuctId++, x, gapCenter: clampGap(wanted, gapHeight, previousCenter), gapHeight, level, direction, passed: false };
  }
}

/** Keeps a gap inside the field and within MAX_GAP_SHIFT of its neighbour. */
export function clampGap(wanted: number, gapHeight: number, previousCenter: number): number {
  const fieldMin = GAP_MARGIN + gapHeight / 2;
  const fieldMax = FIELD_HEIGHT - GAP_MARGIN - gapHeight / 2;
  const low = Math.max(fieldMin, previousCenter - MAX_GAP_SHIFT);
  const high = Math.min(fieldMax, previousCenter + MAX_GAP_SHIFT);
  return Math.min(high, Math.max(low, wanted));
}

function overlapsX(duct: Duct): boolean {
  return DETECTOR_X + DETECTOR_RADIUS > duct.x && DETECTOR_X - DETECTOR_RADIUS < duct.x + DUCT_WIDTH;
}

/** Circle against the two rectangles of a duct (above and below the gap). */
export function hitsDuct(y: number, duct: Duct): boolean {
  if (!overlapsX(duct)) return false;
  const top = duct.gapCenter - duct.gapHeight / 2;
  const bottom = duct.gapCenter + duct.gapHeight / 2;
  const nearestX = Math.max(duct.x, Math.min(DETECTOR_X, duct.x + DUCT_WIDTH));
  const dx = DETECTOR_X - nearestX;
  const hitsRect = (rectTop: number, rectBottom: number) => {
    const nearestY = Math.max(rectTop, Math.min(y, rectBottom));
    const dy = y - nearestY;
    return dx * dx + dy * dy < DETECTOR_RADIUS * DETECTOR_RADIUS;
  };
  return hitsRect(-Infinity, top) || hitsRect(bottom, Infinity);
}

const CRASH_LINES = {
  duct: 'the detector met the ductwork.',
  ceiling: 'the detector hit the ceiling tiles.',
  floor: 'the detector found the carpet.',
} as const;

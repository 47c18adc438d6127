import { STEPS_PER_SECOND } from '../../../src/game/field.ts';

const STEP_MS = 1000 / STEPS_PER_SECOND;
/** Longest frame we catch up on: after a stall or a background tab, the game slows, it never skips ahead. */
const MAX_FRAME_MS = 100;

/**
 * Turns display frames of any rate into a whole number of fixed 60 Hz simulation steps, carrying the
 * remainder, so a 144 Hz screen is not faster than a 60 Hz one.
 */
export class FixedStepper {
  private last?: number;
  private carry = 0;

  /** How many steps to run for a frame at time `now` (ms, e.g. from requestAnimationFrame). */
  advance(now: number): number {
    if (this.last === undefined) {
      this.last = now;
      return 0;
    }
    const elapsed = Math.min(MAX_FRAME_MS, Math.max(0, now - this.last));
    this.last = now;
    this.carry += elapsed;
    const steps = Math.floor(this.carry / STEP_MS);
    this.carry -= steps * STEP_MS;
    return steps;
  }

  /** Forget the clock: the next frame starts fresh (after the tab was hidden, or a restart). */
  reset(): void {
    this.last = undefined;
    this.carry = 0;
  }
}

import { DETECTOR_RADIUS, DETECTOR_X, DUCT_SPACING, DUCT_SPEED, DUCT_WIDTH, FIRST_DUCT_X, STEPS_PER_SECOND } from './field.ts';

/**
 * How fast a score can grow. Ducts move together at DUCT_SPEED, DUCT_SPACING apart, and a duct counts
 * once its right edge is strictly behind the detector's left edge — so a player who survives scores at
 * exactly this rate, and nobody scores faster. The server checks submissions against it; clients that
 * post scores without playing (tests, benchmarks, synthetic players) wait by it.
 */

/** How far the first duct travels before it counts: from where it starts to fully behind the detector. */
const FIRST_POINT_DISTANCE = FIRST_DUCT_X + DUCT_WIDTH - (DETECTOR_X - DETECTOR_RADIUS);

/**
 * Allowance for the server measuring a run on its own clock: the game asks for its run at the first
 * flap, so the run starts on the server one request delay late, and another replica may take the
 * score on a clock a little apart. Two seconds covers a slow mobile round trip and NTP-synchronised
 * clocks many times over; it lets a cheater gain at most one point (2 s is 120 steps, 1.2 ducts).
 */
export const PLAUSIBILITY_MARGIN_MS = 2000;

/** The best possible score after `steps` simulation steps of a run. */
export function maxScoreAfterSteps(steps: number): number {
  const travelled = steps * DUCT_SPEED;
  return travelled <= FIRST_POINT_DISTANCE ? 0 : Math.ceil((travelled - FIRST_POINT_DISTANCE) / DUCT_SPACING);
}

/** The fewest steps a run needs to reach `score`. */
export function stepsToReach(score: number): number {
  if (score <= 0) return 0;
  return Math.floor((FIRST_POINT_DISTANCE + (score - 1) * DUCT_SPACING) / DUCT_SPEED) + 1;
}

/** Whether a run that started `elapsedMs` ago (as the server measures it) can have scored `score`. */
export function isPlausible(score: number, elapsedMs: number): boolean {
  const steps = Math.floor(((Math.max(0, elapsedMs) + PLAUSIBILITY_MARGIN_MS) * STEPS_PER_SECOND) / 1000);
  return score <= maxScoreAfterSteps(steps);
}

/** How long after its run started a score of `score` is accepted: what a client that does not play waits. */
export function earliestSubmitMs(score: number): number {
  return Math.max(0, Math.ceil((stepsToReach(score) * 1000) / STEPS_PER_SECOND) - PLAUSIBILITY_MARGIN_MS);
}

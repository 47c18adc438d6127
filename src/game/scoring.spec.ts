import { STEPS_PER_SECOND } from './field.ts';
import { earliestSubmitMs, isPlausible, maxScoreAfterSteps, PLAUSIBILITY_MARGIN_MS, stepsToReach } from './scoring.ts';

describe('scoring rate', () => {
  it('needs about five seconds for the first point and 100 steps for each next one', () => {
    expect(stepsToReach(1)).toBe(316);
    expect(stepsToReach(2)).toBe(416);
    expect(maxScoreAfterSteps(315)).toBe(0);
    expect(maxScoreAfterSteps(316)).toBe(1);
    expect(maxScoreAfterSteps(415)).toBe(1);
    expect(maxScoreAfterSteps(416)).toBe(2);
  });

  it('stepsToReach is the inverse of maxScoreAfterSteps', () => {
    for (let score = 0; score <= 2000; score++) {
      const steps = stepsToReach(score);
      expect(maxScoreAfterSteps(steps)).toBe(score);
      if (steps > 0) expect(maxScoreAfterSteps(steps - 1)).toBe(score - 1);
    }
  });

  it('accepts a score from earliestSubmitMs on, and not a step earlier', () => {
    for (let score = 1; score <= 500; score++) {
      const earliest = earliestSubmitMs(score);
      expect(isPlausible(score, earliest)).toBe(true);
      expect(isPlausible(score, earliest - 1000 / STEPS_PER_SECOND)).toBe(false);
    }
  });

  it('always accepts 0, and gives the margin to a run the server has not seen start yet', () => {
    expect(isPlausible(0, 0)).toBe(true);
    expect(isPlausible(0, -5000)).toBe(true);
    expect(earliestSubmitMs(1)).toBe(Math.ceil((316 * 1000) / 60) - PLAUSIBILITY_MARGIN_MS);
    expect(isPlausible(1_000_000, 60_000)).toBe(false);
  });
});

import { DRAFT_PUSH_PER_LEVEL, DETECTOR_RADIUS, DETECTOR_X, DUCT_WIDTH, FIELD_HEIGHT, GAP_HEIGHTS, MAX_GAP_SHIFT } from '../../../src/game/field.ts';
import { maxScoreAfterSteps } from '../../../src/game/scoring.ts';
import { clampGap, Game, hitsDuct, type Duct } from './core';

/** Plays a scripted run: flaps on the given steps, for at most `steps` steps. */
function play(seed: number, flapEvery: number, steps = 3000): Game {
  const game = new Game(seed);
  game.step({ flap: true });
  for (let i = 1; i < steps && game.currentPhase === 'running'; i++) game.step({ flap: i % flapEvery === 0 });
  return game;
}

/** A controller that flaps when the detector sinks below the next gap's centre: a decent player. */
function autopilot(seed: number, maxSteps = 20_000): Game {
  const game = new Game(seed);
  game.step({ flap: true });
  for (let i = 0; i < maxSteps && game.currentPhase === 'running'; i++) {
    const { detector, ducts } = game.snapshot();
    const next = ducts.find((d) => d.x + DUCT_WIDTH >= DETECTOR_X - DETECTOR_RADIUS)!;
    game.step({ flap: detector.vy > 0 && detector.y > next.gapCenter + next.gapHeight * 0.2 });
  }
  return game;
}

describe('Game', () => {
  it('stays idle until the first flap, then runs', () => {
    const game = new Game(1);
    for (let i = 0; i < 100; i++) game.step({ flap: false });
    expect(game.currentPhase).toBe('idle');
    expect(game.snapshot().steps).toBe(0);
    game.step({ flap: true });
    expect(game.currentPhase).toBe('running');
  });

  it('is deterministic: same seed and inputs give the same run, another seed another course', () => {
    expect(play(42, 22).snapshot()).toEqual(play(42, 22).snapshot());
    expect(new Game(42).snapshot().ducts).not.toEqual(new Game(43).snapshot().ducts);
  });

  it('ends on the floor without flaps and on the ceiling with constant flaps', () => {
    const falling = play(5, Number.MAX_SAFE_INTEGER);
    expect(falling.snapshot()).toMatchObject({ phase: 'over', crash: 'floor', score: 0 });
    const rising = play(5, 1);
    expect(rising.snapshot()).toMatchObject({ phase: 'over', crash: 'ceiling' });
    expect(falling.snapshot().statusLine).toMatch(/^Game over/);
  });

  it('scores one point per duct passed, and a good player passes many', () => {
    const { score } = autopilot(7).snapshot();
    expect(score).toBeGreaterThanOrEqual(10);
  });

  it('scores exactly as fast as the server allows: a player who survives is at the maximum rate', () => {
    const game = new Game(7);
    game.step({ flap: true });
    for (let i = 0; i < 20_000 && game.currentPhase === 'running'; i++) {
      const { detector, ducts } = game.snapshot();
      const next = ducts.find((d) => d.x + DUCT_WIDTH >= DETECTOR_X - DETECTOR_RADIUS)!;
      game.step({ flap: detector.vy > 0 && detector.y > next.gapCenter + next.gapHeight * 0.2 });
      const { score, steps } = game.snapshot();
      if (game.currentPhase === 'running') expect(score).toBe(maxScoreAfterSteps(steps));
      else expect(score).toBeLessThanOrEqual(maxScoreAfterSteps(steps));
    }
    expect(game.snapshot().score).toBeGreaterThanOrEqual(10);
  });

  it('shows a humorous status line every 5 points', () => {
    const game = new Game(7);
    game.step({ flap: true });
    const lines = new Set<string>();
    for (let i = 0; i < 20_000 && game.currentPhase === 'running'; i++) {
      const { detector, ducts, score } = game.snapshot();
      const next = ducts.find((d) => d.x + DUCT_WIDTH >= DETECTOR_X - DETECTOR_RADIUS)!;
      game.step({ flap: detector.vy > 0 && detector.y > next.gapCenter + next.gapHeight * 0.2 });
      if (score >= 5) lines.add(game.snapshot().statusLine);
      if (score >= 11) break;
    }
    expect([...lines].some((line) => line.startsWith('5 ducts!'))).toBe(true);
    expect([...lines].some((line) => line.startsWith('10 ducts!'))).toBe(true);
  });

  it('generates gaps of the level heights, within the field, at most 180 px apart', () => {
    for (let seed = 1; seed <= 50; seed++) {
      const game = autopilot(seed, 3000);
      const ducts = game.snapshot().ducts;
      for (let i = 0; i < ducts.length; i++) {
        const duct = ducts[i]!;
        expect(duct.gapHeight).toBe(GAP_HEIGHTS[duct.level - 1]);
        expect(duct.gapCenter - duct.gapHeight / 2).toBeGreaterThan(0);
        expect(duct.gapCenter + duct.gapHeight / 2).toBeLessThan(FIELD_HEIGHT);
        if (i > 0) expect(Math.abs(duct.gapCenter - ducts[i - 1]!.gapCenter)).toBeLessThanOrEqual(MAX_GAP_SHIFT);
      }
    }
  });

  it('pushes the detector in the draft direction while inside a duct', () => {
    const inside = (direction: -1 | 1) => {
      const game = new Game(3);
      game.step({ flap: true });
      // Move until the detector is inside the first duct, then compare velocity change with gravity alone.
      let guard = 0;
      while (game.snapshot().ducts[0]!.x > DETECTOR_X && guard++ < 1000) game.step({ flap: guard % 18 === 0 });
      return { game, direction };
    };
    const { game } = inside(1);
    const duct = game.snapshot().ducts[0]!;
    const before = game.snapshot().detector.vy;
    game.step({ flap: false });
    const after = game.snapshot().detector.vy;
    if (game.currentPhase === 'running') {
      const gravityOnly = 0.42;
      expect(after - before).toBeCloseTo(gravityOnly + duct.direction * duct.level * DRAFT_PUSH_PER_LEVEL, 5);
    }
  });
});

describe('clampGap', () => {
  it('limits the shift from the previous gap and keeps the gap inside the field', () => {
    expect(clampGap(500, 150, 100)).toBe(280);
    expect(clampGap(-200, 150, 300)).toBe(300 - 180);
    expect(clampGap(-200, 150, 150)).toBe(40 + 75);
    expect(clampGap(1000, 220, 450)).toBe(FIELD_HEIGHT - 40 - 110);
    expect(clampGap(260, 180, 270)).toBe(260);
  });
});

describe('hitsDuct', () => {
  const duct: Duct = { id: 0, x: DETECTOR_X - 10, gapCenter: 270, gapHeight: 180, level: 2, direction: 1, passed: false };
  it('is clear in the middle of the gap and hits above or below it', () => {
    expect(hitsDuct(270, duct)).toBe(false);
    expect(hitsDuct(270 - 90 + DETECTOR_RADIUS - 1, duct)).toBe(true);
    expect(hitsDuct(270 + 90 - DETECTOR_RADIUS + 1, duct)).toBe(true);
    expect(hitsDuct(270 - 90 + DETECTOR_RADIUS + 1, duct)).toBe(false);
  });
  it('never hits a duct that is not level with the detector', () => {
    expect(hitsDuct(0, { ...duct, x: DETECTOR_X + 200 })).toBe(false);
  });
});

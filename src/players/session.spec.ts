import fc from 'fast-check';
import { isPlausible } from '../game/scoring.ts';
import { checkPlayerName } from '../game/player-name.ts';
import { DEFAULT_SESSION_PROFILE, planSession, scoreFor } from './session.ts';

/** A uniform source from fast-check's integers, so failures shrink and replay. */
const uniforms = fc.infiniteStream(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true })).map((stream) => {
  const it = stream[Symbol.iterator]();
  return () => it.next().value as number;
});

describe('the synthetic players\' session model', () => {
  it('plans visits the server accepts: valid names, plausible scores for the time each run lasts, bounded everything', () => {
    fc.assert(
      fc.property(uniforms, (random) => {
        const plan = planSession(random);
        expect(checkPlayerName(plan.player)).toEqual({ ok: true, name: plan.player });
        expect(plan.games.length).toBeGreaterThanOrEqual(1);
        expect(plan.games.length).toBeLessThanOrEqual(DEFAULT_SESSION_PROFILE.maxGames);
        for (const game of plan.games) {
          expect(isPlausible(game.score, game.runMs)).toBe(true);
          expect(game.runMs).toBeGreaterThanOrEqual(1000);
          expect(game.runMs).toBeLessThanOrEqual(DEFAULT_SESSION_PROFILE.maxRunSeconds * 1000);
          expect(game.thinkMs).toBeGreaterThanOrEqual(DEFAULT_SESSION_PROFILE.thinkMs[0]);
          expect(game.thinkMs).toBeLessThanOrEqual(DEFAULT_SESSION_PROFILE.thinkMs[1]);
          expect(game.leaderboardViews).toBeLessThanOrEqual(2);
        }
      }),
    );
  });

  it('looks like people playing: most runs end early with low scores, a few last long, about three games a visit', () => {
    let seed = 1;
    const random = () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
    const plans = Array.from({ length: 2000 }, () => planSession(random));
    const games = plans.flatMap((plan) => plan.games);
    const runs = games.map((game) => game.runMs).sort((a, b) => a - b);
    const median = runs[Math.floor(runs.length / 2)]!;
    expect(median).toBeGreaterThan(6000);
    expect(median).toBeLessThan(10_000);
    expect(runs[Math.floor(runs.length * 0.99)]!).toBeGreaterThan(40_000);
    const zeroes = games.filter((game) => game.score === 0).length / games.length;
    expect(zeroes).toBeGreaterThan(0.05);
    expect(Math.max(...games.map((game) => game.score))).toBeGreaterThan(20);
    expect(games.length / plans.length).toBeGreaterThan(2.6);
    expect(games.length / plans.length).toBeLessThan(3.4);
    expect(new Set(plans.map((plan) => plan.player)).size).toBeGreaterThan(1000);
  });

  it('scores survival exactly as the game does: nothing before the first duct, then one per duct', () => {
    expect(scoreFor(0)).toBe(0);
    expect(scoreFor(1000)).toBe(0);
    expect(scoreFor(60_000)).toBeGreaterThan(scoreFor(30_000));
    for (const ms of [3500, 10_000, 60_000]) expect(isPlausible(scoreFor(ms), ms)).toBe(true);
  });
});

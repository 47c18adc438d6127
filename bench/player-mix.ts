import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { planSession } from '../src/players/session.ts';

/** The share of each player request in what the synthetic players send, per request. */
export interface PlayerMix {
  gameStart: number;
  score: number;
  leaderboard: number;
}

/**
 * What the synthetic players' session model sends, as shares of their requests: each game is one
 * POST /game-start and one POST /score, and 0–2 looks at GET /leaderboard. Derived from the model
 * (10,000 seeded visits) rather than written down, so the benchmark's mix follows the players'.
 */
export function playerMix(visits = 10_000, seed = 42): PlayerMix {
  const rng = xoroshiro128plus(seed);
  const random = () => uniformFloat64(rng);
  let games = 0;
  let looks = 0;
  for (let i = 0; i < visits; i++) {
    for (const game of planSession(random).games) {
      games += 1;
      looks += game.leaderboardViews;
    }
  }
  const total = 2 * games + looks;
  return { gameStart: games / total, score: games / total, leaderboard: looks / total };
}

import { STEPS_PER_SECOND } from '../game/field.ts';
import { maxScoreAfterSteps } from '../game/scoring.ts';
import { standardNormal } from '../chaos/latency-distribution.ts';

/**
 * How synthetic players behave, as a pure model: given a source of uniforms it plans a visit. A visit
 * is a few games in a row; each game is a think time, a run that lasts as long as a person survives
 * (most runs end at the first ducts, a few last minutes), the score that survival earns, and a look or
 * two at the leaderboard. Scores follow from survival exactly as the game scores them, so every score
 * is one the server accepts for the time the run really lasted.
 */
export interface SessionProfile {
  /** Median survival in a run, in seconds (runs are log-normal around it). @default 8 */
  medianRunSeconds: number;
  /** Spread of survival: log-normal sigma. @default 0.9 */
  runSpread: number;
  /** Nobody survives longer than this (the run is cut, its score kept). @default 120 */
  maxRunSeconds: number;
  /** Average games per visit (geometric). @default 3 */
  meanGames: number;
  /** A visit never has more games than this. @default 10 */
  maxGames: number;
  /** Pause before each game, uniform in [min, max] milliseconds. @default [1000, 5000] */
  thinkMs: readonly [number, number];
  /** Chance of looking at the leaderboard after a game, and again after that. @default 0.6 */
  leaderboardChance: number;
}

export const DEFAULT_SESSION_PROFILE: SessionProfile = {
  medianRunSeconds: 8,
  runSpread: 0.9,
  maxRunSeconds: 120,
  meanGames: 3,
  maxGames: 10,
  thinkMs: [1000, 5000],
  leaderboardChance: 0.6,
};

export interface GamePlan {
  /** Pause before POST /game-start. */
  thinkMs: number;
  /** Time between the run's start and POST /score. */
  runMs: number;
  score: number;
  /** GET /leaderboard after the score, each after a short pause. */
  leaderboardViews: number;
}

export interface SessionPlan {
  player: string;
  games: GamePlan[];
}

/** Names synthetic players go by (with a number, so a crowd is told apart on the leaderboard). */
const NAMES = ['Ada', 'Grace', 'Linus', 'Margaret', 'Ken', 'Barbara', 'Dennis', 'Radia', 'Edsger', 'Frances', 'Tim', 'Hedy'] as const;

/** Plans one visit. `random` returns uniforms in [0, 1): Math.random, or a seeded generator. */
export function planSession(random: () => number, profile: SessionProfile = DEFAULT_SESSION_PROFILE): SessionPlan {
  const player = `${NAMES[Math.floor(random() * NAMES.length)]}-${100 + Math.floor(random() * 900)} (bot)`;
  const games: GamePlan[] = [];
  const count = gamesInVisit(random, profile);
  for (let i = 0; i < count; i++) games.push(planGame(random, profile));
  return { player, games };
}

function planGame(random: () => number, profile: SessionProfile): GamePlan {
  const [minThink, maxThink] = profile.thinkMs;
  const thinkMs = Math.round(minThink + random() * (maxThink - minThink));
  const survivedSeconds = Math.exp(Math.log(profile.medianRunSeconds) + profile.runSpread * standardNormal(random(), random()));
  const runMs = Math.round(Math.min(profile.maxRunSeconds, Math.max(1, survivedSeconds)) * 1000);
  let leaderboardViews = 0;
  while (leaderboardViews < 2 && random() < profile.leaderboardChance) leaderboardViews++;
  return { thinkMs, runMs, score: scoreFor(runMs), leaderboardViews };
}

/** What surviving `runMs` earns: every duct passed in that time, as the game counts them. */
export function scoreFor(runMs: number): number {
  return maxScoreAfterSteps(Math.floor((runMs * STEPS_PER_SECOND) / 1000));
}

/** Geometric with the profile's mean, at least one game, at most maxGames. */
function gamesInVisit(random: () => number, profile: SessionProfile): number {
  const another = 1 - 1 / profile.meanGames;
  let games = 1;
  while (games < profile.maxGames && random() < another) games++;
  return games;
}

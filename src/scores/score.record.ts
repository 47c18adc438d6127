/** A stored score as the leaderboard orders it; `id` breaks ties in insertion order. */
export interface ScoreRecord {
  id: number;
  player: string;
  score: number;
  createdAt: string;
}

/** The public shape of a score: what the API answers. */
export interface PublicScore {
  player: string;
  score: number;
  createdAt: string;
}

export function toPublicScore({ player, score, createdAt }: ScoreRecord): PublicScore {
  return { player, score, createdAt };
}

/** Leaderboard order: score descending, then createdAt ascending, then insertion order. */
export function compareForLeaderboard(a: ScoreRecord, b: ScoreRecord): number {
  if (a.score !== b.score) return b.score - a.score;
  if (a.createdAt !== b.createdAt) return a.createdAt < b.createdAt ? -1 : 1;
  return a.id - b.id;
}

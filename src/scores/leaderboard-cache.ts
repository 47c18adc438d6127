import { compareForLeaderboard, type ScoreRecord } from './score.record.ts';

/**
 * The best `capacity` scores in leaderboard order, kept in memory so reading the leaderboard never
 * touches SQLite. Scores are only ever added, so offering each committed score keeps it exact.
 */
export class LeaderboardCache {
  private entries: ScoreRecord[] = [];

  constructor(readonly capacity: number) {}

  /** Replaces the contents with rows already read in leaderboard order from the database. */
  reset(rows: readonly ScoreRecord[]): void {
    this.entries = rows.slice(0, this.capacity);
  }

  /** Adds a committed score (again, harmlessly, if already held); returns whether the visible ranking changed. */
  offer(record: ScoreRecord): boolean {
    const last = this.entries[this.entries.length - 1];
    if (this.entries.length >= this.capacity && last && compareForLeaderboard(record, last) >= 0) {
      return false;
    }
    const index = this.insertionIndex(record);
    // An equal record sorts just before its insertion point: the same score offered twice is held once.
    if (this.entries[index - 1]?.id === record.id) return false;
    this.entries.splice(index, 0, record);
    if (this.entries.length > this.capacity) this.entries.pop();
    return true;
  }

  /** Whether a score this high could enter the list (ties count: their order depends on clocks). */
  couldChange(score: number): boolean {
    const last = this.entries[this.entries.length - 1];
    return this.entries.length < this.capacity || last === undefined || score >= last.score;
  }

  top(limit: number): readonly ScoreRecord[] {
    return this.entries.slice(0, limit);
  }

  /** The all-time maximum: the best score is always in the cache. */
  get highScore(): number {
    return this.entries[0]?.score ?? 0;
  }

  private insertionIndex(record: ScoreRecord): number {
    let low = 0;
    let high = this.entries.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (compareForLeaderboard(this.entries[mid] as ScoreRecord, record) <= 0) low = mid + 1;
      else high = mid;
    }
    return low;
  }
}

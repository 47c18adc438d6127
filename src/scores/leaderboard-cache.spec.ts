import { LeaderboardCache } from './leaderboard-cache.ts';
import { compareForLeaderboard, type ScoreRecord } from './score.record.ts';

const record = (id: number, score: number, createdAt = '2026-01-01T00:00:00.000Z'): ScoreRecord => ({ id, player: `p${id}`, score, createdAt });

describe('LeaderboardCache', () => {
  it('offering a score it already holds changes nothing (a reload can return a score committed meanwhile)', () => {
    const cache = new LeaderboardCache(5);
    cache.reset([record(1, 9), record(2, 5)]);
    expect(cache.offer(record(2, 5))).toBe(false);
    expect(cache.offer(record(1, 9))).toBe(false);
    expect(cache.top(5).map((r) => r.id)).toEqual([1, 2]);
  });

  it('couldChange: true while not full or when a score reaches the last place', () => {
    const cache = new LeaderboardCache(2);
    expect(cache.couldChange(0)).toBe(true);
    cache.reset([record(1, 9), record(2, 5)]);
    expect(cache.couldChange(4)).toBe(false);
    expect(cache.couldChange(5)).toBe(true);
  });

  it('keeps exactly the best N in leaderboard order, whatever the insertion order', () => {
    const cache = new LeaderboardCache(5);
    const all: ScoreRecord[] = [];
    let seed = 12345;
    for (let id = 1; id <= 500; id++) {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      const r = record(id, seed % 40, `2026-01-01T00:00:${String(id % 60).padStart(2, '0')}.000Z`);
      all.push(r);
      cache.offer(r);
    }
    expect(cache.top(5)).toEqual([...all].sort(compareForLeaderboard).slice(0, 5));
    expect(cache.highScore).toBe(Math.max(...all.map((r) => r.score)));
  });

  it('breaks ties by createdAt then insertion order', () => {
    const cache = new LeaderboardCache(10);
    cache.offer(record(3, 5, '2026-01-01T00:00:02.000Z'));
    cache.offer(record(1, 5, '2026-01-01T00:00:02.000Z'));
    cache.offer(record(2, 5, '2026-01-01T00:00:01.000Z'));
    expect(cache.top(10).map((r) => r.id)).toEqual([2, 1, 3]);
  });

  it('reports whether an offer changed the ranking', () => {
    const cache = new LeaderboardCache(2);
    expect(cache.offer(record(1, 10))).toBe(true);
    expect(cache.offer(record(2, 20))).toBe(true);
    expect(cache.offer(record(3, 5))).toBe(false);
    expect(cache.offer(record(4, 10))).toBe(false);
    expect(cache.highScore).toBe(20);
  });

  it('starts with a high score of 0', () => {
    expect(new LeaderboardCache(3).highScore).toBe(0);
  });
});

import type { PlayerAnswer } from '../src/players/player.ts';
import type { PlayersView } from './engine.ts';

/** An answer is bad for a player when it is a 5xx, never came, or came slower than this (the SLO's threshold). */
export function isBad(answer: Pick<PlayerAnswer, 'status' | 'seconds'>, slowSeconds: number): boolean {
  return answer.status === 'no_answer' || answer.status.startsWith('5') || answer.seconds > slowSeconds;
}

/**
 * What in-process players saw: every bad answer's time (bounded), and recent answers for guard windows.
 * Memory stays bounded whatever the run's length: bad answers are kept as times, at most `maxKept`.
 */
export class RecordedPlayersView implements PlayersView {
  readonly present = true;
  private readonly bad: number[] = [];
  private readonly recent: Array<{ at: number; bad: boolean }> = [];
  private readonly slowSeconds: number;
  private readonly maxKept: number;

  constructor(slowSeconds: number, maxKept = 100_000) {
    this.slowSeconds = slowSeconds;
    this.maxKept = maxKept;
  }

  record = (answer: PlayerAnswer): void => {
    const bad = isBad(answer, this.slowSeconds);
    if (bad) this.bad.push(answer.at);
    this.recent.push({ at: answer.at, bad });
    if (this.bad.length > this.maxKept) this.bad.splice(0, this.bad.length - this.maxKept);
    if (this.recent.length > this.maxKept) this.recent.splice(0, this.recent.length - this.maxKept);
  };

  firstBadAt(since: number): number | undefined {
    return this.bad.find((at) => at >= since);
  }

  lastBadAt(since: number): number | undefined {
    const last = this.bad.at(-1);
    return last !== undefined && last >= since ? last : undefined;
  }

  failureRatio(windowMs: number, now = Date.now()): number | undefined {
    const window = this.recent.filter((answer) => answer.at >= now - windowMs);
    return window.length ? window.filter((answer) => answer.bad).length / window.length : undefined;
  }
}

/** No players in this process (`--players 0`): their view is not measured here. */
export const ABSENT_PLAYERS: PlayersView = { present: false, firstBadAt: () => undefined, lastBadAt: () => undefined, failureRatio: () => undefined };

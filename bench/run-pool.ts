import autocannon from 'autocannon';
import { earliestSubmitMs } from '../src/game/scoring.ts';

/**
 * Runs for the POST /score measurements: each request carries its own run, issued by the service
 * being measured (the POST /game-start measurement fills the pool), so the benchmark writes what
 * players write — a new row per request, not a replay or a refusal.
 */
export class RunPool {
  private readonly tokens: string[] = [];
  private filledAt = 0;

  /** autocannon's onResponse for POST /game-start: keeps each issued run. */
  readonly collect = (status: number, body: string): void => {
    if (status !== 202) return;
    this.tokens.push((JSON.parse(body) as { run: { token: string } }).run.token);
    this.filledAt = Date.now();
  };

  get size(): number {
    return this.tokens.length;
  }

  /** Issues runs from `gameStartUrl` (unmeasured) until the pool holds `count`, then lets them age. */
  async fill(gameStartUrl: string, count: number, connections: number): Promise<void> {
    const missing = Math.ceil(count - this.tokens.length);
    if (missing > 0) {
      await autocannon({ url: gameStartUrl, method: 'POST', body: '{}', headers: { 'content-type': 'application/json' }, connections, amount: missing, requests: [{ onResponse: this.collect }] });
    }
    await this.ready();
  }

  /** The body of one score: a fresh run, and a score its age makes plausible. */
  readonly nextBody = (): string => {
    const token = this.tokens.pop();
    if (token === undefined) throw new Error('bench: the run pool is empty; the POST /score measurement needs more runs than POST /game-start issued');
    return JSON.stringify({ run: token, player: 'bench', score: SCORE });
  };

  /** Resolves once every pooled run is old enough for SCORE. */
  async ready(): Promise<void> {
    const wait = this.filledAt + earliestSubmitMs(SCORE) - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  }
}

/** One duct: what most runs score (and below the seeded top 100, like most real scores). */
const SCORE = 1;

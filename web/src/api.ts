export interface LeaderboardEntry {
  player: string;
  score: number;
  createdAt: string;
}

export interface SubmitOutcome {
  ok: boolean;
  /** What to tell the player. */
  message: string;
  highScore?: number;
}

/** The run the server issued for a game: its token goes with the score. */
export interface IssuedRun {
  id: string;
  token: string;
}

export interface RetryPolicy {
  attempts: number;
  baseDelayMs: number;
  timeoutMs: number;
}

const DEFAULT_RETRY: RetryPolicy = { attempts: 4, baseDelayMs: 600, timeoutMs: 4000 };

type Sleep = (ms: number) => Promise<void>;
const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** A failure worth retrying: the server said it could not take the request now. */
const retryable = (status: number) => status === 429 || status >= 500;

/**
 * The game's view of the API. Every call is best effort: the game never waits on it and never breaks
 * because of it, it only reports what happened.
 */
export class ApiClient {
  constructor(
    private readonly fetchImpl: typeof fetch = (...args) => fetch(...args),
    private readonly sleep: Sleep = realSleep,
  ) {}

  /** Asks the server for a run as the game starts; undefined when it cannot give one (offline play). */
  async startRun(): Promise<IssuedRun | undefined> {
    try {
      const res = await this.post('/game-start', {}, DEFAULT_RETRY.timeoutMs);
      if (!res.ok) return undefined;
      const { run } = (await res.json()) as { run?: IssuedRun };
      return run && typeof run.token === 'string' ? run : undefined;
    } catch {
      return undefined;
    }
  }

  /**
   * Submits one run's score, retrying a bounded number of times with exponential back-off and jitter
   * while the answer is a 429/5xx or no answer at all. Every attempt sends the same body for the same
   * run, so a retry after a lost answer is recognised by the server and stored once.
   */
  async submitScore(run: IssuedRun, player: string, score: number, policy: RetryPolicy = DEFAULT_RETRY): Promise<SubmitOutcome> {
    let last = 'score not sent';
    for (let attempt = 1; attempt <= policy.attempts; attempt++) {
      try {
        const res = await this.post('/score', { run: run.token, player, score }, policy.timeoutMs);
        const body = (await res.json().catch(() => ({}))) as { highScore?: number; error?: string };
        if (res.ok) return { ok: true, message: 'Score saved.', highScore: body.highScore };
        last = `the server answered ${res.status}${body.error ? ` (${body.error})` : ''}`;
        if (!retryable(res.status)) return { ok: false, message: `Score not saved: ${last}.` };
      } catch {
        last = 'the server could not be reached';
      }
      if (attempt < policy.attempts) {
        await this.sleep(policy.baseDelayMs * 2 ** (attempt - 1) * (0.75 + Math.random() * 0.5));
      }
    }
    return { ok: false, message: `Score not saved after ${policy.attempts} tries: ${last}.` };
  }

  async leaderboard(): Promise<LeaderboardEntry[] | undefined> {
    try {
      const res = await this.fetchImpl('/leaderboard', { signal: AbortSignal.timeout(DEFAULT_RETRY.timeoutMs) });
      if (!res.ok) return undefined;
      return ((await res.json()) as { leaderboard: LeaderboardEntry[] }).leaderboard;
    } catch {
      return undefined;
    }
  }

  private post(path: string, body: unknown, timeoutMs: number): Promise<Response> {
    return this.fetchImpl(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
  }
}

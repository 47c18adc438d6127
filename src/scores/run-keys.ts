import { randomBytes } from 'node:crypto';
import type { RunKey, ScoreStore } from './score-store.ts';

/** A new signing key this often: a leaked key is worth little for long. */
export const KEY_ROTATION_MS = 24 * 60 * 60 * 1000;
/** At most one reload of the keys per this long when a run names a key we do not hold. */
const RELOAD_INTERVAL_MS = 1000;
const SECRET_BYTES = 32;
const CLOCK_SLACK_MS = 60 * 60 * 1000;

type Storage = <T>(work: (store: ScoreStore) => Promise<T>) => Promise<T>;

/**
 * The keys runs are signed with. They live in the database — created there by whichever replica
 * first needs one — so no manifest carries a secret and every replica and restart verifies what any
 * of them signed. The newest key signs; a key keeps verifying until every run it signed has expired,
 * so rotating never invalidates a run in flight.
 */
export class RunKeyRing {
  private keys: RunKey[] = [];
  private lastReload = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly storage: Storage,
    private readonly runTtlMs: number,
  ) {}

  /** Replaces what is held with what the database has (called on every (re)open). */
  async load(store: ScoreStore): Promise<void> {
    this.keys = await store.runKeys();
  }

  /** The key to sign a run with at `now`, rotating first when the newest is too old (or none exists). */
  async signingKey(now: number): Promise<RunKey> {
    const newest = this.keys[0];
    if (newest && now - Date.parse(newest.createdAt) < KEY_ROTATION_MS) return newest;
    return this.rotate(now);
  }

  /** The key with this id, reloading (rarely) in case another replica just created it. */
  async verifyingKey(id: string, now: number): Promise<RunKey | undefined> {
    const known = this.keys.find((key) => key.id === id);
    if (known || now - this.lastReload < RELOAD_INTERVAL_MS) return known;
    this.lastReload = now;
    this.keys = await this.storage((store) => store.runKeys());
    return this.keys.find((key) => key.id === id);
  }

  /** How long a key verifies after it was created: its signing period, the longest run, and slack for clocks. */
  private retentionMs(): number {
    return KEY_ROTATION_MS + this.runTtlMs + CLOCK_SLACK_MS;
  }

  private async rotate(now: number): Promise<RunKey> {
    const key: RunKey = {
      id: randomBytes(6).toString('base64url'),
      secret: new Uint8Array(randomBytes(SECRET_BYTES)),
      createdAt: new Date(now).toISOString(),
    };
    this.keys = await this.storage(async (store) => {
      await store.rotateRunKeys(key, new Date(now - this.retentionMs()).toISOString());
      return store.runKeys();
    });
    return key;
  }
}

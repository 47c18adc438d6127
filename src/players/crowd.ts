import { setTimeout as sleep } from 'node:timers/promises';
import type { PlayerMetrics } from './player-metrics.ts';
import { type PlayerContext, playSession } from './player.ts';
import { DEFAULT_SESSION_PROFILE, planSession, type SessionProfile } from './session.ts';

export interface CrowdOptions {
  target: URL;
  /** Most players playing at once; an arrival while the crowd is full goes away. */
  players: number;
  /** New players per second at full rate (Poisson arrivals). */
  arrivalRate: number;
  /** The arrival rate climbs linearly from 0 to arrivalRate over this long. */
  rampMs: number;
  headers: Record<string, string>;
  profile?: SessionProfile;
  random?: () => number;
  metrics: PlayerMetrics;
  /** Told of every answer players get. */
  onAnswer?: PlayerContext['onAnswer'];
  /** Called when a visit fails in a way a player cannot absorb (a bug, not a bad answer). */
  onError?: (error: unknown) => void;
}

/** The arrival rate `elapsedMs` into the run: linear up to full over the ramp. */
export function arrivalRateAt(elapsedMs: number, fullRate: number, rampMs: number): number {
  if (rampMs <= 0 || elapsedMs >= rampMs) return fullRate;
  return (fullRate * Math.max(0, elapsedMs)) / rampMs;
}

/**
 * The milliseconds until the next arrival of a Poisson process whose rate ramps up, by thinning: draw
 * gaps at the full rate and keep an arrival with probability rate(t)/fullRate.
 */
export function nextArrivalMs(random: () => number, startedAtMs: number, fullRate: number, rampMs: number): number {
  let gap = 0;
  for (;;) {
    gap += (-Math.log(1 - random()) / fullRate) * 1000;
    if (random() * fullRate <= arrivalRateAt(startedAtMs + gap, fullRate, rampMs)) return gap;
  }
}

/** Players arriving, playing a visit each and leaving, until stopped. */
export class Crowd {
  private readonly stopping = new AbortController();
  private readonly visits = new Set<Promise<void>>();
  private running?: Promise<void>;
  private readonly options: CrowdOptions;

  constructor(options: CrowdOptions) {
    this.options = options;
  }

  start(): void {
    this.running = this.arrive();
  }

  /** No new arrivals; every player stops where they are; resolves when all have left. */
  async stop(): Promise<void> {
    this.stopping.abort();
    await this.running;
    await Promise.all(this.visits);
  }

  private async arrive(): Promise<void> {
    const { players, arrivalRate, rampMs, metrics } = this.options;
    const random = this.options.random ?? Math.random;
    const startedAt = Date.now();
    const signal = this.stopping.signal;
    while (!signal.aborted) {
      const wait = nextArrivalMs(random, Date.now() - startedAt, arrivalRate, rampMs);
      try {
        await sleep(wait, undefined, { signal });
      } catch {
        return;
      }
      const admitted = this.visits.size < players;
      metrics.arrivals.inc({ admitted: String(admitted) });
      if (admitted) this.admit(planSession(random, this.options.profile ?? DEFAULT_SESSION_PROFILE));
    }
  }

  private admit(plan: ReturnType<typeof planSession>): void {
    const { target, headers, metrics, onError, onAnswer } = this.options;
    metrics.active.inc();
    const visit = playSession(plan, { target, headers, metrics, onAnswer, signal: this.stopping.signal })
      .catch((error: unknown) => onError?.(error))
      .finally(() => {
        metrics.active.dec();
        this.visits.delete(visit);
      });
    this.visits.add(visit);
  }
}

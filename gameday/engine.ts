/**
 * The game-day loop: baseline → inject → watch for the expected alerts, trace evidence and guards →
 * stop the fault → watch every expected alert resolve. Everything it touches comes through GameDayIO,
 * so its decisions (deadline missed, guard breached, alert never resolving) are tested with a fake
 * clock and scripted observations (engine.spec.ts).
 */
import ms from 'ms';
import type { ExpectedAlert, Guard, Scenario } from './scenario.ts';

export type AlertState = 'pending' | 'firing';

/** One alert as Prometheus reports it (its rule's labels included). */
export interface ObservedAlert {
  name: string;
  labels: Record<string, string>;
  state: AlertState;
}

/** One alert as Alertmanager holds it: received, routed to these receivers. */
export interface RoutedAlert {
  name: string;
  labels: Record<string, string>;
  receivers: string[];
}

export interface Observation {
  alerts: readonly ObservedAlert[];
  /** Undefined when no Alertmanager was given. */
  routed?: readonly RoutedAlert[];
}

export interface PlayersView {
  /** Whether players run in this process (else their view is not measured here). */
  readonly present: boolean;
  /** When a player first got a bad answer (5xx, none, or slower than the SLO threshold) at or after `since`. */
  firstBadAt(since: number): number | undefined;
  /** When a player last got a bad answer at or after `since`. */
  lastBadAt(since: number): number | undefined;
  /** Share of bad answers over the last `windowMs` (undefined without answers). */
  failureRatio(windowMs: number): number | undefined;
}

export interface GameDayIO {
  now(): number;
  sleep(ms: number): Promise<void>;
  observe(): Promise<Observation>;
  /** How many traces carry `chaos.type = type` since `sinceMs`. */
  traces(chaosType: string, sinceMs: number): Promise<number>;
  /** A Prometheus guard's current value (undefined: no data). */
  query(promql: string): Promise<number | undefined>;
  players: PlayersView;
  inject(): Promise<void>;
  stopFault(): Promise<void>;
  log(line: string): void;
}

export type TimelineEvent =
  | 'baseline'
  | 'injected'
  | 'first bad request'
  | 'traces found'
  | 'pending'
  | 'firing'
  | 'delivered'
  | 'fault stopped'
  | 'guard breached'
  | 'resolved'
  | 'players recovered'
  | 'deadline missed'
  | 'ended';

export interface TimelineEntry {
  at: number;
  event: TimelineEvent;
  detail: string;
}

export interface AlertOutcome {
  alert: string;
  pendingAt?: number;
  firingAt?: number;
  deliveredAt?: number;
  receivers?: string[];
  resolvedAt?: number;
}

export interface GameDayResult {
  scenario: string;
  verdict: 'passed' | 'failed' | 'aborted';
  reasons: string[];
  startedAt: number;
  injectedAt?: number;
  stoppedAt?: number;
  endedAt: number;
  /** First expected alert firing, after the injection (ms). */
  timeToDetectMs?: number;
  /** Last expected alert resolved, after the fault stopped (ms). */
  timeToRecoverMs?: number;
  /** The players' view: last bad answer after the fault stopped (ms; 0 when none came after it). */
  playersRecoveredMs?: number;
  /** The players' view: from their first bad answer after the injection to their last (a pod kill's downtime). */
  playersDisruptionMs?: number;
  alerts: AlertOutcome[];
  timeline: TimelineEntry[];
}

export const POLL_MS = 1000;

/** A scenario's duration (`90s`, `4m`) in milliseconds; refused when it is not one. */
export const durationMs = (text: string) => {
  const value = ms(text as ms.StringValue) as number | undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw new Error(`not a duration: ${JSON.stringify(text)}`);
  return value;
};

/** A readable name for an expected alert: `DraftyBirdAvailabilityBudgetBurn{severity="page"}`. */
export function alertKey(alert: Pick<ExpectedAlert, 'name' | 'labels'>): string {
  const labels = Object.entries(alert.labels ?? {}).map(([k, v]) => `${k}="${v}"`);
  return labels.length ? `${alert.name}{${labels.join(',')}}` : alert.name;
}

function matches(expected: ExpectedAlert, seen: { name: string; labels: Record<string, string> }): boolean {
  return seen.name === expected.name && Object.entries(expected.labels ?? {}).every(([k, v]) => seen.labels[k] === v);
}

/** The strongest state Prometheus reports for an expected alert (firing beats pending), or none. */
export function stateOf(expected: ExpectedAlert, observation: Observation): AlertState | undefined {
  const states = observation.alerts.filter((a) => matches(expected, a)).map((a) => a.state);
  return states.includes('firing') ? 'firing' : states.includes('pending') ? 'pending' : undefined;
}

/** Runs the scenario through `io`; never throws for what it measures, only for faults it cannot apply. */
export async function runGameDay(scenario: Scenario, io: GameDayIO): Promise<GameDayResult> {
  return new GameDay(scenario, io).run();
}

class GameDay {
  private readonly timeline: TimelineEntry[] = [];
  private readonly reasons: string[] = [];
  private readonly outcomes: Map<ExpectedAlert, AlertOutcome>;
  private readonly startedAt: number;
  private injectedAt?: number;
  private stoppedAt?: number;
  /** Why the game day stopped early (a guard, a fault that would not inject); undefined while it runs its course. */
  private abortedBecause?: string;
  private tracesFoundAt?: number;
  private firstBadSeen = false;
  private readonly scenario: Scenario;
  private readonly io: GameDayIO;

  constructor(scenario: Scenario, io: GameDayIO) {
    this.scenario = scenario;
    this.io = io;
    this.startedAt = io.now();
    this.outcomes = new Map(scenario.expect.alerts.map((a) => [a, { alert: alertKey(a) }]));
  }

  async run(): Promise<GameDayResult> {
    if (await this.baseline()) {
      await this.faultPhase();
      await this.recoveryPhase();
    }
    this.record('ended', this.verdict());
    return this.result();
  }

  private get aborted(): boolean {
    return this.abortedBecause !== undefined;
  }

  private record(event: TimelineEvent, detail: string, at = this.io.now()): void {
    this.timeline.push({ at, event, detail });
    this.io.log(`${new Date(at).toISOString()}  ${event.padEnd(18)} ${detail}`);
  }

  /** Healthy play first: an expected alert already firing means the game day would measure nothing. */
  private async baseline(): Promise<boolean> {
    this.record('baseline', `${this.scenario.baseline} of healthy play`);
    const end = this.io.now() + durationMs(this.scenario.baseline);
    while (this.io.now() < end) {
      const observation = await this.io.observe();
      const firing = this.scenario.expect.alerts.filter((a) => stateOf(a, observation) === 'firing');
      if (firing.length > 0) {
        this.reasons.push(`not a clean baseline: ${firing.map(alertKey).join(', ')} already firing before any fault`);
        return false;
      }
      await this.io.sleep(Math.min(POLL_MS, Math.max(0, end - this.io.now())));
    }
    return true;
  }

  private async faultPhase(): Promise<void> {
    this.injectedAt = this.io.now();
    try {
      await this.io.inject();
    } catch (error) {
      this.reasons.push(`the fault could not be injected: ${(error as Error).message}`);
      this.abortedBecause = 'the fault could not be injected';
    }
    this.record('injected', this.scenario.fault.description, this.injectedAt);
    const stopAt = this.injectedAt + durationMs(this.scenario.duration);
    while (this.io.now() < stopAt && !this.aborted) {
      await this.watch();
      if (!this.aborted) await this.io.sleep(Math.min(POLL_MS, Math.max(0, stopAt - this.io.now())));
    }
    await this.stop(this.aborted ? `stopped early: ${this.abortedBecause}` : `after ${this.scenario.duration}`);
  }

  private async stop(why: string): Promise<void> {
    this.stoppedAt = this.io.now();
    try {
      await this.io.stopFault();
    } catch (error) {
      this.reasons.push(`the fault did not end as it should: ${(error as Error).message}`);
    }
    this.record('fault stopped', why, this.stoppedAt);
  }

  /** After the fault: detection deadlines still run out; every alert that fired must resolve in time. */
  private async recoveryPhase(): Promise<void> {
    const resolveBy = (this.stoppedAt as number) + durationMs(this.scenario.expect.resolveWithin);
    for (;;) {
      await this.watch();
      const detectionOpen = !this.aborted && this.scenario.expect.alerts.some((a) => this.outcomes.get(a)!.firingAt === undefined && this.io.now() < this.detectBy(a));
      const tracesOpen = !this.aborted && this.tracesFoundAt === undefined && this.scenario.expect.tracesWithin !== undefined && this.io.now() < this.tracesBy();
      const unresolved = [...this.outcomes.values()].filter((o) => o.pendingAt !== undefined && o.resolvedAt === undefined);
      if (!detectionOpen && !tracesOpen && unresolved.length === 0) break;
      if (this.io.now() >= resolveBy) {
        for (const outcome of unresolved) this.reasons.push(`${outcome.alert} never resolved within ${this.scenario.expect.resolveWithin} of the fault stopping`);
        if (unresolved.length) this.record('deadline missed', `${unresolved.map((o) => o.alert).join(', ')} still active ${this.scenario.expect.resolveWithin} after the fault stopped`);
        break;
      }
      await this.io.sleep(POLL_MS);
    }
    this.closeDetection();
    const players = this.io.players;
    if (players.present) {
      const last = players.lastBadAt(this.stoppedAt as number);
      if (last !== undefined) this.record('players recovered', 'the last bad answer a player got', last);
    }
  }

  private detectBy(alert: ExpectedAlert): number {
    return (this.injectedAt as number) + durationMs(alert.within);
  }

  private tracesBy(): number {
    return (this.injectedAt as number) + durationMs(this.scenario.expect.tracesWithin ?? '0s');
  }

  /** One poll: alert states, deliveries, trace evidence, the players' first bad answer, guards. */
  private async watch(): Promise<void> {
    const observation = await this.io.observe();
    const now = this.io.now();
    for (const [expected, outcome] of this.outcomes) this.follow(expected, outcome, observation, now);
    await this.lookForTraces(now);
    if (!this.firstBadSeen && this.io.players.present) {
      const first = this.io.players.firstBadAt(this.injectedAt as number);
      if (first !== undefined) {
        this.firstBadSeen = true;
        this.record('first bad request', 'a player got an error or a slow answer', first);
      }
    }
    if (this.stoppedAt === undefined) await this.checkGuards();
    this.missDeadlines(now);
  }

  private follow(expected: ExpectedAlert, outcome: AlertOutcome, observation: Observation, now: number): void {
    const state = stateOf(expected, observation);
    const active = state !== undefined;
    if (active && outcome.pendingAt === undefined) {
      outcome.pendingAt = now;
      this.record('pending', outcome.alert, now);
    }
    if (state === 'firing' && outcome.firingAt === undefined) {
      outcome.firingAt = now;
      this.record('firing', outcome.alert, now);
    }
    const routed = observation.routed?.find((a) => matches(expected, a));
    if (routed && outcome.firingAt !== undefined && outcome.deliveredAt === undefined) {
      outcome.deliveredAt = now;
      outcome.receivers = routed.receivers;
      this.record('delivered', `${outcome.alert} → Alertmanager receiver ${routed.receivers.join(', ') || '(none)'}`, now);
    }
    if (!active && outcome.pendingAt !== undefined && outcome.resolvedAt === undefined && this.stoppedAt !== undefined) {
      outcome.resolvedAt = now;
      this.record('resolved', outcome.alert, now);
    }
  }

  private async lookForTraces(now: number): Promise<void> {
    const type = this.scenario.fault.chaosType;
    if (this.tracesFoundAt !== undefined || !type || this.scenario.expect.tracesWithin === undefined) return;
    const count = await this.io.traces(type, this.injectedAt as number);
    if (count > 0) {
      this.tracesFoundAt = now;
      this.record('traces found', `${count} trace(s) with chaos.type=${type}`, now);
    }
  }

  private async checkGuards(): Promise<void> {
    for (const guard of this.scenario.guards) {
      const value = await this.guardValue(guard);
      const limit = guard.kind === 'players' ? guard.failureRatioAbove : guard.above;
      if (value === undefined || value <= limit) continue;
      this.abortedBecause = 'a guard was breached';
      this.reasons.push(`guard breached: ${guard.description} (${round(value)} > ${limit})`);
      this.record('guard breached', `${guard.description}: ${round(value)} > ${limit}`);
      return;
    }
  }

  private guardValue(guard: Guard): Promise<number | undefined> {
    if (guard.kind === 'players') return Promise.resolve(this.io.players.failureRatio(durationMs(guard.window)));
    return this.io.query(guard.query);
  }

  private readonly missed = new Set<string>();

  private missDeadlines(now: number): void {
    if (this.aborted) return;
    for (const [expected, outcome] of this.outcomes) {
      if (outcome.firingAt !== undefined || now < this.detectBy(expected) || this.missed.has(outcome.alert)) continue;
      this.missed.add(outcome.alert);
      this.reasons.push(`${outcome.alert} did not fire within ${expected.within} of the injection`);
      this.record('deadline missed', `${outcome.alert} not firing ${expected.within} after the injection`, now);
    }
    const within = this.scenario.expect.tracesWithin;
    if (within !== undefined && this.scenario.fault.chaosType && this.tracesFoundAt === undefined && now >= this.tracesBy() && !this.missed.has('traces')) {
      this.missed.add('traces');
      this.reasons.push(`no trace with chaos.type=${this.scenario.fault.chaosType} within ${within} of the injection`);
      this.record('deadline missed', `no chaos.type=${this.scenario.fault.chaosType} trace ${within} after the injection`, now);
    }
  }

  /** Deadlines that ran out while the loop was not watching (an aborted game day leaves them open). */
  private closeDetection(): void {
    this.missDeadlines(Number.POSITIVE_INFINITY);
  }

  private verdict(): string {
    return this.aborted ? 'aborted' : this.reasons.length ? 'failed' : 'passed';
  }

  private result(): GameDayResult {
    const outcomes = [...this.outcomes.values()];
    const firings = outcomes.map((o) => o.firingAt).filter((t): t is number => t !== undefined);
    const resolutions = outcomes.map((o) => o.resolvedAt).filter((t): t is number => t !== undefined);
    const allResolved = outcomes.every((o) => o.pendingAt === undefined || o.resolvedAt !== undefined);
    const players = this.io.players;
    const lastBad = this.stoppedAt !== undefined && players.present ? players.lastBadAt(this.stoppedAt) : undefined;
    const firstBad = this.injectedAt !== undefined && players.present ? players.firstBadAt(this.injectedAt) : undefined;
    const lastBadOfRun = this.injectedAt !== undefined && players.present ? players.lastBadAt(this.injectedAt) : undefined;
    return {
      scenario: this.scenario.name,
      verdict: this.verdict() as GameDayResult['verdict'],
      reasons: this.reasons,
      startedAt: this.startedAt,
      injectedAt: this.injectedAt,
      stoppedAt: this.stoppedAt,
      endedAt: this.io.now(),
      timeToDetectMs: firings.length && this.injectedAt !== undefined ? Math.min(...firings) - this.injectedAt : undefined,
      timeToRecoverMs: resolutions.length && allResolved && this.stoppedAt !== undefined ? Math.max(...resolutions) - this.stoppedAt : undefined,
      playersRecoveredMs: this.stoppedAt !== undefined && players.present ? Math.max(0, (lastBad ?? this.stoppedAt) - this.stoppedAt) : undefined,
      playersDisruptionMs: firstBad !== undefined && lastBadOfRun !== undefined ? lastBadOfRun - firstBad : undefined,
      alerts: outcomes,
      timeline: [...this.timeline].sort((a, b) => a.at - b.at),
    };
  }
}

const round = (value: number) => Math.round(value * 1000) / 1000;

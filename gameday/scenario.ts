/**
 * A game day written as code (files under gamedays/): players, a baseline, one time-boxed fault, what
 * must be seen (alerts within deadlines, trace evidence), and the guards that end it early.
 */
import type { SessionProfile } from '../src/players/session.ts';

/** A Prometheus alert a game day expects: its name and, optionally, labels that pick one of its rules. */
export interface ExpectedAlert {
  name: string;
  /** e.g. `{ severity: 'page' }` for the page of a burn-rate alert that also has a ticket. */
  labels?: Record<string, string>;
  /** Firing within this long of the injection (a duration: `90s`, `3m`). */
  within: string;
}

/** What a fault needs from the game day: where the service is and who may change it. */
export interface FaultContext {
  adminUrl: string;
  adminToken: string | undefined;
  /** The kube context for cluster faults (`--context`); undefined on the local stack. */
  kubeContext: string | undefined;
  /** Prometheus' address (a release reads its gates there). */
  prometheusUrl: string;
  /** Values files the service was deployed with (`-f`), so a release changes only what it sets. */
  valuesFiles: string[];
  namespace: string;
  /** How long the fault is meant to last: chaos is time-boxed to it (plus a margin) on the service itself. */
  durationMs: number;
  log: (line: string) => void;
}

export interface Fault {
  /** One line for the report: what is done to the service. */
  description: string;
  /** The `chaos.type` its traces carry (error, latency, storage); none for faults chaos does not make. */
  chaosType?: 'error' | 'latency' | 'storage';
  /** The chaos settings it puts (chaos faults only), as PUT /chaos receives them. */
  chaosSettings?: Record<string, unknown>;
  /** Where it can run: `cluster` faults need a kube context. */
  needs: 'service' | 'cluster';
  inject(context: FaultContext): Promise<void>;
  /** Undo the fault (also called when a guard aborts); must be safe to call twice. */
  stop(context: FaultContext): Promise<void>;
}

/** Ends the game day early, fault off, when breached. */
export type Guard =
  | { description: string; kind: 'players'; failureRatioAbove: number; window: string }
  | { description: string; kind: 'prometheus'; query: string; above: number };

export interface PlayersPlan {
  count: number;
  arrivalRate: number;
  ramp: string;
  headers?: Record<string, string>;
  profile?: Partial<SessionProfile>;
}

export interface Scenario {
  name: string;
  description: string;
  /** Synthetic players started by the game day (`--players 0` relies on players already running). */
  players: PlayersPlan;
  /** Healthy play before the fault; an expected alert already firing then stops the game day. */
  baseline: string;
  fault: Fault;
  /** How long the fault stays on. */
  duration: string;
  expect: {
    alerts: ExpectedAlert[];
    /** Spans carrying the fault's `chaos.type` found within this long of the injection. */
    tracesWithin?: string;
    /** Every expected alert resolved within this long of the fault stopping. */
    resolveWithin: string;
  };
  guards: Guard[];
}

/** Identity, typed: scenario files `export default defineScenario({ … })`. */
export function defineScenario(scenario: Scenario): Scenario {
  return scenario;
}

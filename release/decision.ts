/**
 * The guarded single-writer release (SQLite mode: one pod on an RWO volume, so the honest strategy is
 * a 100% cutover with automatic rollback), as a pure state machine: what to do next given what was
 * observed. The command around it (Kubernetes and Prometheus calls) only observes and acts; every
 * decision, deadline and reason is here, and tested without a cluster.
 */
import type { Verdict } from '../charts/observability/release-gates.ts';

export interface ReleasePolicy {
  /** The new pod must be Ready this long after the apply. */
  readyDeadlineMs: number;
  /** How long the gates are measured after the pod is Ready. */
  bakeMs: number;
  /** Failed measurements tolerated per gate (Argo's failureLimit). */
  failureLimit: number;
  /** The previous revision must be Ready again this long after a rollback started. */
  rollbackDeadlineMs: number;
  /** Every gate that must pass at least once during the bake (measured or not). */
  gates: readonly string[];
}

/** One look at the cluster and Prometheus, `at` ms since the release started. */
export interface Observation {
  at: number;
  /** The workload's pod runs the revision being waited for (new, or the previous one while rolling back) and is Ready. */
  ready: boolean;
  /** Container restarts of that pod since it started: a crash loop is a failure, however brief. */
  restarts: number;
  /** Why its container cannot start, when waiting cannot help (a wrong image, a missing Secret). */
  stuck?: string;
  /** While baking: each gate's verdict on this measurement. */
  verdicts?: Readonly<Record<string, Verdict>>;
}

export type Phase = 'waiting-ready' | 'baking' | 'succeeded' | 'rolling-back' | 'rolled-back' | 'rollback-failed';

export interface ReleaseState {
  phase: Phase;
  /** When the current phase began. */
  since: number;
  /** Failed measurements per gate, and whether each gate has passed at least once. */
  failures: Record<string, number>;
  passed: Record<string, boolean>;
  /** What happened, in order: the summary a failed release prints. */
  events: Array<{ at: number; what: string }>;
}

/** What the command does after a decision. */
export type Action = 'observe' | 'rollback' | 'done';

export function startRelease(): ReleaseState {
  return { phase: 'waiting-ready', since: 0, failures: {}, passed: {}, events: [{ at: 0, what: 'applied the new revision' }] };
}

export function isFinal(state: ReleaseState): boolean {
  return state.phase === 'succeeded' || state.phase === 'rolled-back' || state.phase === 'rollback-failed';
}

/** The next state and action after `seen`. */
export function decide(state: ReleaseState, seen: Observation, policy: ReleasePolicy): { state: ReleaseState; action: Action } {
  switch (state.phase) {
    case 'waiting-ready':
      if (seen.restarts > 0) return rollBack(state, seen.at, `the new pod restarted ${seen.restarts} time(s) before it was ready`);
      if (seen.stuck) return rollBack(state, seen.at, `the new pod cannot start: ${seen.stuck}`);
      if (seen.ready) return observe(to(state, 'baking', seen.at, 'the new pod is ready; baking'));
      if (seen.at - state.since > policy.readyDeadlineMs) return rollBack(state, seen.at, `the new pod was not ready within ${policy.readyDeadlineMs / 1000} s`);
      return observe(state);
    case 'baking':
      return bake(state, seen, policy);
    case 'rolling-back':
      if (seen.ready) return done(to(state, 'rolled-back', seen.at, 'the previous revision is ready again'));
      if (seen.at - state.since > policy.rollbackDeadlineMs) {
        return done(to(state, 'rollback-failed', seen.at, `the previous revision was not ready within ${policy.rollbackDeadlineMs / 1000} s`));
      }
      return observe(state);
    default:
      return done(state);
  }
}

function bake(state: ReleaseState, seen: Observation, policy: ReleasePolicy): { state: ReleaseState; action: Action } {
  if (!seen.ready || seen.restarts > 0) return rollBack(state, seen.at, 'the new pod stopped being ready during the bake');
  const failures = { ...state.failures };
  const passed = { ...state.passed };
  for (const [gate, verdict] of Object.entries(seen.verdicts ?? {})) {
    if (verdict === 'failed') failures[gate] = (failures[gate] ?? 0) + 1;
    if (verdict === 'successful') passed[gate] = true;
    if ((failures[gate] ?? 0) > policy.failureLimit) return rollBack({ ...state, failures, passed }, seen.at, `gate ${gate} failed ${failures[gate]} time(s)`);
  }
  const next = { ...state, failures, passed };
  if (seen.at - state.since < policy.bakeMs) return observe(next);
  // The bake is over: a gate that never passed was never measured (no player traffic) — not a success.
  const unproven = policy.gates.filter((gate) => !passed[gate]);
  if (unproven.length > 0) return rollBack(next, seen.at, `no measurement proved ${unproven.join(', ')} (no player traffic reached the new revision?)`);
  return done(to(next, 'succeeded', seen.at, 'every gate passed; the release is kept'));
}

function to(state: ReleaseState, phase: Phase, at: number, what: string): ReleaseState {
  return { ...state, phase, since: at, events: [...state.events, { at, what }] };
}

function rollBack(state: ReleaseState, at: number, why: string): { state: ReleaseState; action: Action } {
  const failed = { ...state, events: [...state.events, { at, what: `failed: ${why}` }] };
  return { state: to(failed, 'rolling-back', at, 'restoring the previous revision'), action: 'rollback' };
}

const observe = (state: ReleaseState) => ({ state, action: 'observe' as const });
const done = (state: ReleaseState) => ({ state, action: 'done' as const });

/** The lines a person reads after the release: when each thing happened, in seconds. */
export function summary(state: ReleaseState): string[] {
  return state.events.map(({ at, what }) => `+${(at / 1000).toFixed(1)} s  ${what}`);
}

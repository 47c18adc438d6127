/**
 * One release, like `helm upgrade --atomic --wait`: record, apply, watch, keep or restore, record.
 * - single writer (SQLite StatefulSet): the guarded 100% cutover — decision.ts decides, this observes
 *   the StatefulSet and Prometheus and acts;
 * - scale-out (PostgreSQL Rollout): Argo Rollouts runs the canary or blue/green and its analysis; this
 *   waits for its verdict and, when it aborted, restores the previous spec so the cluster says what runs.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { KubernetesObject, V1Pod, V1StatefulSet } from '@kubernetes/client-node';
import { APP_NAME } from '../charts/constructs/app-names.ts';
import { ROLLOUT } from '../charts/constructs/app-rollout.ts';
import { labelSelector, selectorLabels } from '../charts/labels.ts';
import type { Verdict } from '../charts/observability/release-gates.ts';
import type { Cluster } from './cluster.ts';
import { decide, isFinal, type ReleasePolicy, type ReleaseState, startRelease, summary } from './decision.ts';
import { current, nextRevision, type ReleaseRecord } from './history.ts';
import { measureGates } from './gates.ts';
import { type RolloutObject, viewRollout, viewStatefulSet } from './observe.ts';

/** What a release needs of the cluster (cluster.ts on a real one). */
export type ReleaseCluster = Pick<Cluster, 'context' | 'apply' | 'read' | 'list' | 'deletePod' | 'snapshot' | 'history' | 'record'>;

export interface ReleaseRequest {
  cluster: ReleaseCluster;
  namespace: string;
  /** What to apply, in apply order, and the same as YAML for the history. */
  manifests: readonly KubernetesObject[];
  yaml: string;
  image: string;
  /** What the history says about this release when it is kept ("upgrade", "rollback to 3"). */
  description: string;
  policy: ReleasePolicy;
  /** Single writer: where the gates are read, how often, over what window. */
  gates: { prometheusUrl: string; intervalMs: number; window: string };
  /** Scale-out: how long Argo Rollouts may take to promote or abort (its steps and analysis included). */
  rolloutDeadlineMs: number;
  pollMs?: number;
  log: (line: string) => void;
}

export interface ReleaseResult {
  kept: boolean;
  revision: number;
  lines: string[];
}

const WORKLOAD = { apiVersion: 'apps/v1', kind: 'StatefulSet' } as const;
const APP_PODS = labelSelector(selectorLabels(APP_NAME));

export async function release(request: ReleaseRequest): Promise<ReleaseResult> {
  const { cluster, namespace, manifests } = request;
  const history = await cluster.history(namespace);
  const running = current(history);
  const record: ReleaseRecord = {
    revision: nextRevision(history),
    status: 'pending',
    startedAt: new Date().toISOString(),
    image: request.image,
    description: request.description,
    manifests: request.yaml,
  };
  // What runs now, exactly as it runs: restored if this release fails.
  const previous = await cluster.snapshot(manifests);
  // The history lives in the namespace: on a first release it must exist before the record.
  await cluster.apply(manifests.filter((m) => m.kind === 'Namespace'));
  await cluster.record(record, namespace);
  request.log(`release ${record.revision} (${request.image}) to ${cluster.context}: applying ${manifests.length} objects`);
  let outcome: Outcome;
  try {
    await cluster.apply(manifests);
    const scaleOut = manifests.some((m) => m.kind === ROLLOUT.kind && m.metadata?.name === APP_NAME);
    outcome = scaleOut ? await watchRollout(request, previous) : await guardedCutover(request, previous);
  } catch (error) {
    // The API refused an object, or the cluster went away mid-release: put back what ran, say so.
    const reason = `interrupted: ${(error as Error).message.split('\n')[0]}`;
    await cluster.record({ ...record, finishedAt: new Date().toISOString(), status: 'failed', description: reason }, namespace).catch(() => undefined);
    if (previous.length > 0) await cluster.apply(previous).catch(() => undefined);
    throw error;
  }

  const finishedAt = new Date().toISOString();
  if (outcome.kept && running) await cluster.record({ ...running, status: 'superseded' }, namespace);
  await cluster.record({ ...record, finishedAt, status: outcome.kept ? 'deployed' : 'failed', description: outcome.kept ? request.description : outcome.reason }, namespace);
  return { kept: outcome.kept, revision: record.revision, lines: outcome.lines };
}

type Outcome = { kept: boolean; reason: string; lines: string[] };

/** The single writer's release: decision.ts decides from what this sees every `pollMs`. */
async function guardedCutover(request: ReleaseRequest, previous: readonly KubernetesObject[]): Promise<Outcome> {
  const { cluster, namespace, policy, gates, log } = request;
  const started = Date.now();
  let state: ReleaseState = startRelease();
  let lastMeasured = -Infinity;
  const deleted = new Set<string>();
  for (;;) {
    const at = Date.now() - started;
    const sts = await cluster.read<V1StatefulSet>({ ...WORKLOAD, namespace, name: APP_NAME });
    const pods = await cluster.list<V1Pod>('v1', 'Pod', namespace, APP_PODS);
    const view = viewStatefulSet(sts, pods);
    let verdicts: Record<string, Verdict> | undefined;
    if (state.phase === 'baking' && view.revision) {
      // The state machine noted when the bake began; the last measurement falls on its end.
      const bakeOver = at - state.since >= policy.bakeMs;
      if (at - lastMeasured >= gates.intervalMs || bakeOver) {
        lastMeasured = at;
        const measured = await measureGates(gates.prometheusUrl, view.revision, gates.window);
        verdicts = measured.verdicts;
        log(`  gates on ${view.revision}: ${Object.entries(verdicts).map(([gate, verdict]) => `${gate} ${verdict}`).join(', ')}${measured.problems.length ? ` (${measured.problems.join('; ')})` : ''}`);
      }
    }
    const seen = { at, ready: view.ready, restarts: view.restarts, ...(view.stuck ? { stuck: view.stuck } : {}), ...(verdicts ? { verdicts } : {}) };
    const before = state.events.length;
    const next = decide(state, seen, policy);
    state = next.state;
    for (const line of summary(state).slice(before)) log(line);
    if (next.action === 'rollback') {
      if (previous.length === 0) return { kept: false, reason: 'failed on first install: nothing to restore', lines: [...summary(state), 'nothing ran before this release: nothing to restore'] };
      await cluster.apply(previous);
    }
    if (state.phase === 'rolling-back') {
      // A StatefulSet never replaces a pod that never became Ready (its "forced rollback" case): delete it.
      for (const name of view.stale.filter((pod) => !deleted.has(pod))) {
        deleted.add(name);
        log(`  deleting pod ${name} (still on the failed revision)`);
        await cluster.deletePod(namespace, name);
      }
    }
    if (isFinal(state)) {
      const failure = state.events.find((e) => e.what.startsWith('failed: '))?.what.slice('failed: '.length);
      return { kept: state.phase === 'succeeded', reason: failure ?? state.phase, lines: summary(state) };
    }
    await sleep(request.pollMs ?? 2_000);
  }
}

/** Scale-out: Argo Rollouts decides; this waits for its verdict within the deadline its steps allow. */
async function watchRollout(request: ReleaseRequest, previous: readonly KubernetesObject[]): Promise<Outcome> {
  const { cluster, namespace, log } = request;
  const started = Date.now();
  const lines: string[] = [];
  const note = (line: string) => {
    const stamped = `+${((Date.now() - started) / 1000).toFixed(1)} s  ${line}`;
    lines.push(stamped);
    log(stamped);
  };
  note('applied; Argo Rollouts is rolling it out (kubectl argo rollouts get rollout drafty-bird -n ' + namespace + ' --watch)');
  let lastPhase = '';
  for (;;) {
    const rollout = await cluster.read<KubernetesObject & RolloutObject>({ ...ROLLOUT, namespace, name: APP_NAME });
    const phase = `${rollout?.status?.phase ?? 'unknown'}${rollout?.status?.message ? `: ${rollout.status.message}` : ''}`;
    if (phase !== lastPhase) note(`rollout ${phase}`);
    lastPhase = phase;
    const outcome = viewRollout(rollout);
    if (outcome.settled && outcome.promoted) {
      note(`promoted: ${outcome.message}`);
      return { kept: true, reason: outcome.message, lines };
    }
    const timedOut = Date.now() - started > request.rolloutDeadlineMs;
    if ((outcome.settled && !outcome.promoted) || timedOut) {
      const reason = outcome.settled ? outcome.message : 'the rollout did not finish in time';
      note(`failed: ${reason}; restoring the previous spec (the stable pods kept serving)`);
      if (previous.length > 0) await cluster.apply(previous);
      return { kept: false, reason, lines };
    }
    await sleep(request.pollMs ?? 2_000);
  }
}

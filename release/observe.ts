/**
 * What the guarded release sees of the single-writer StatefulSet, from the objects the API returns:
 * whether the revision it is waiting for runs and is Ready, and what stands in the way. Pure, so each
 * case the cluster can present is tested without one.
 */
import type { V1Pod, V1StatefulSet } from '@kubernetes/client-node';
import type { Observation } from './decision.ts';

/** The label a StatefulSet puts on each pod: the controller revision it was created from. */
export const STATEFUL_REVISION_LABEL = 'controller-revision-hash';

/** Waiting reasons no amount of waiting fixes. CrashLoopBackOff is counted by restarts instead. */
const STUCK_REASONS = new Set(['ErrImagePull', 'ImagePullBackOff', 'InvalidImageName', 'CreateContainerConfigError', 'CreateContainerError']);

export interface StatefulSetView extends Omit<Observation, 'at' | 'verdicts'> {
  /** The revision the StatefulSet rolls to (its `updateRevision`), once it has seen the latest spec. */
  revision?: string;
  /** Pods of another revision. After a template is restored, a pod stuck on the bad one must be deleted: a StatefulSet never replaces a pod that never became Ready. */
  stale: string[];
}

export function viewStatefulSet(sts: V1StatefulSet | undefined, pods: readonly V1Pod[]): StatefulSetView {
  const observed = sts?.status && (sts.status.observedGeneration ?? 0) >= (sts.metadata?.generation ?? 0);
  const revision = observed ? sts.status?.updateRevision : undefined;
  if (!sts || !revision) return { ready: false, restarts: 0, stale: [] };
  const live = pods.filter((pod) => !pod.metadata?.deletionTimestamp);
  const current = live.filter((pod) => pod.metadata?.labels?.[STATEFUL_REVISION_LABEL] === revision);
  const statuses = current.flatMap((pod) => pod.status?.containerStatuses ?? []);
  const stuck = statuses.map((s) => s.state?.waiting).find((waiting) => waiting?.reason && STUCK_REASONS.has(waiting.reason));
  const readyPods = current.filter((pod) => pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'));
  return {
    revision,
    ready: readyPods.length >= (sts.spec?.replicas ?? 1),
    restarts: statuses.reduce((sum, s) => sum + s.restartCount, 0),
    ...(stuck ? { stuck: `${stuck.reason}${stuck.message ? `: ${stuck.message}` : ''}` } : {}),
    stale: live.filter((pod) => !current.includes(pod)).map((pod) => pod.metadata?.name ?? ''),
  };
}

/** The parts of an Argo Rollouts `Rollout` the release reads. */
export interface RolloutObject {
  metadata?: { generation?: number };
  status?: { observedGeneration?: string; phase?: string; message?: string; abort?: boolean; stableRS?: string; currentPodHash?: string };
}

export type RolloutOutcome = { settled: false } | { settled: true; promoted: boolean; message: string };

/**
 * Argo Rollouts' own verdict on a release (scale-out): promoted when the revision it rolled to became
 * the stable one and the Rollout is Healthy; failed when its analysis aborted it or it is Degraded.
 */
export function viewRollout(rollout: RolloutObject | undefined): RolloutOutcome {
  const status = rollout?.status;
  // Argo writes the generation it has acted on as a string.
  if (!status || status.observedGeneration !== String(rollout?.metadata?.generation ?? '')) return { settled: false };
  if (status.abort || status.phase === 'Degraded') return { settled: true, promoted: false, message: status.message ?? `the rollout is ${status.phase}` };
  if (status.phase === 'Healthy' && status.currentPodHash && status.currentPodHash === status.stableRS) {
    return { settled: true, promoted: true, message: `revision ${status.currentPodHash} is stable and healthy` };
  }
  return { settled: false };
}

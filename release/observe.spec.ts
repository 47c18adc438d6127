import type { V1Pod, V1StatefulSet } from '@kubernetes/client-node';
import { viewRollout, viewStatefulSet } from './observe.ts';

const sts = (generation: number, observedGeneration: number, updateRevision = 'drafty-bird-new'): V1StatefulSet => ({
  metadata: { name: 'drafty-bird', generation },
  spec: { replicas: 1, selector: {}, serviceName: 'drafty-bird-headless', template: {} },
  status: { replicas: 1, observedGeneration, updateRevision, currentRevision: 'drafty-bird-old' },
});

const pod = (revision: string, options: { ready?: boolean; restarts?: number; waiting?: { reason: string; message?: string }; deleting?: boolean } = {}): V1Pod => ({
  metadata: { name: 'drafty-bird-0', labels: { 'controller-revision-hash': revision }, ...(options.deleting ? { deletionTimestamp: new Date() } : {}) },
  status: {
    conditions: [{ type: 'Ready', status: options.ready ? 'True' : 'False' }],
    containerStatuses: [{ name: 'app', image: 'x', imageID: '', ready: !!options.ready, restartCount: options.restarts ?? 0, state: options.waiting ? { waiting: options.waiting } : { running: {} } }],
  },
});

describe('the view of the single-writer StatefulSet', () => {
  it('is not ready while the controller has not seen the applied spec, even with a ready pod', () => {
    expect(viewStatefulSet(sts(3, 2), [pod('drafty-bird-new', { ready: true })])).toEqual({ ready: false, restarts: 0, stale: [] });
    expect(viewStatefulSet(undefined, [])).toEqual({ ready: false, restarts: 0, stale: [] });
  });

  it('is ready only with a Ready pod of the revision it rolls to', () => {
    expect(viewStatefulSet(sts(3, 3), [pod('drafty-bird-old', { ready: true })])).toMatchObject({ ready: false, revision: 'drafty-bird-new', stale: ['drafty-bird-0'] });
    expect(viewStatefulSet(sts(3, 3), [pod('drafty-bird-new', { ready: false })])).toMatchObject({ ready: false, stale: [] });
    expect(viewStatefulSet(sts(3, 3), [pod('drafty-bird-new', { ready: true })])).toMatchObject({ ready: true, restarts: 0 });
    // A pod on its way out is neither the new revision nor one to delete again.
    expect(viewStatefulSet(sts(3, 3), [pod('drafty-bird-old', { ready: true, deleting: true })])).toMatchObject({ ready: false, stale: [] });
  });

  it("counts the new revision's restarts and names a container that cannot start", () => {
    expect(viewStatefulSet(sts(3, 3), [pod('drafty-bird-new', { restarts: 2, waiting: { reason: 'CrashLoopBackOff' } })])).toMatchObject({ restarts: 2 });
    expect(viewStatefulSet(sts(3, 3), [pod('drafty-bird-new', { restarts: 2, waiting: { reason: 'CrashLoopBackOff' } })]).stuck).toBeUndefined();
    expect(viewStatefulSet(sts(3, 3), [pod('drafty-bird-new', { waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image "x:nope"' } })]).stuck).toBe(
      'ImagePullBackOff: Back-off pulling image "x:nope"',
    );
    // Restarts of the old revision's pod are not the new release's.
    expect(viewStatefulSet(sts(3, 3), [pod('drafty-bird-old', { restarts: 5 })]).restarts).toBe(0);
  });
});

describe("Argo Rollouts' verdict on a scale-out release", () => {
  const rollout = (generation: number, status: Record<string, unknown>) => ({ metadata: { generation }, status: { observedGeneration: String(generation), ...status } });

  it('waits until Argo has acted on the applied spec', () => {
    expect(viewRollout({ metadata: { generation: 4 }, status: { observedGeneration: '3', phase: 'Healthy', stableRS: 'a', currentPodHash: 'a' } })).toEqual({ settled: false });
    expect(viewRollout(undefined)).toEqual({ settled: false });
  });

  it('is promoted once the new revision is the stable one and healthy, not while paused on a step', () => {
    expect(viewRollout(rollout(4, { phase: 'Paused', stableRS: 'a', currentPodHash: 'b' }))).toEqual({ settled: false });
    expect(viewRollout(rollout(4, { phase: 'Healthy', stableRS: 'a', currentPodHash: 'b' }))).toEqual({ settled: false });
    expect(viewRollout(rollout(4, { phase: 'Healthy', stableRS: 'b', currentPodHash: 'b' }))).toMatchObject({ settled: true, promoted: true });
  });

  it('fails when the analysis aborted it, with Argo’s message', () => {
    expect(viewRollout(rollout(4, { phase: 'Degraded', abort: true, message: 'RolloutAborted: Metric "success-rate" assessed Failed' }))).toEqual({
      settled: true,
      promoted: false,
      message: 'RolloutAborted: Metric "success-rate" assessed Failed',
    });
  });
});

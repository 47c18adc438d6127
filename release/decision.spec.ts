import { type Action, decide, isFinal, type Observation, type ReleasePolicy, type ReleaseState, startRelease, summary } from './decision.ts';

const POLICY: ReleasePolicy = { readyDeadlineMs: 60_000, bakeMs: 120_000, failureLimit: 1, rollbackDeadlineMs: 60_000, gates: ['success-rate', 'p99-latency'] };
const ok = { 'success-rate': 'successful', 'p99-latency': 'successful' } as const;

/** Feeds the observations in order until a final state; returns the actions taken and the end state. */
function run(observations: Observation[]): { actions: Action[]; state: ReleaseState } {
  let state = startRelease();
  const actions: Action[] = [];
  for (const seen of observations) {
    const next = decide(state, seen, POLICY);
    state = next.state;
    actions.push(next.action);
    if (isFinal(state)) break;
  }
  return { actions, state };
}

describe('the guarded single-writer release', () => {
  it('rolls back at once when the new pod cannot start, without waiting for the deadline', () => {
    const { state, actions } = run([
      { at: 3_000, ready: false, restarts: 0, stuck: 'ImagePullBackOff: Back-off pulling image "drafty-bird:nope"' },
      { at: 9_000, ready: true, restarts: 0 },
    ]);
    expect(actions).toEqual(['rollback', 'done']);
    expect(state.phase).toBe('rolled-back');
    expect(summary(state).join('\n')).toContain('+3.0 s  failed: the new pod cannot start: ImagePullBackOff');
  });

  it('keeps a release that becomes ready and passes every gate through the bake', () => {
    const { state, actions } = run([
      { at: 5_000, ready: false, restarts: 0 },
      { at: 10_000, ready: true, restarts: 0 },
      { at: 70_000, ready: true, restarts: 0, verdicts: ok },
      { at: 130_000, ready: true, restarts: 0, verdicts: ok },
    ]);
    expect(state.phase).toBe('succeeded');
    expect(actions).toEqual(['observe', 'observe', 'observe', 'done']);
  });

  it('rolls back a pod that is not ready within the deadline, then reports the previous revision restored', () => {
    const { state, actions } = run([
      { at: 30_000, ready: false, restarts: 0 },
      { at: 61_000, ready: false, restarts: 0 },
      { at: 70_000, ready: true, restarts: 0 },
    ]);
    expect(actions).toEqual(['observe', 'rollback', 'done']);
    expect(state.phase).toBe('rolled-back');
    expect(summary(state)).toEqual([
      '+0.0 s  applied the new revision',
      '+61.0 s  failed: the new pod was not ready within 60 s',
      '+61.0 s  restoring the previous revision',
      '+70.0 s  the previous revision is ready again',
    ]);
  });

  it('rolls back a crash loop at once, even before the deadline', () => {
    const { actions } = run([{ at: 3_000, ready: false, restarts: 1 }]);
    expect(actions).toEqual(['rollback']);
  });

  it('tolerates failureLimit failed measurements of a gate, and rolls back on the next', () => {
    const failing = { 'success-rate': 'failed', 'p99-latency': 'successful' } as const;
    const { state, actions } = run([
      { at: 10_000, ready: true, restarts: 0 },
      { at: 40_000, ready: true, restarts: 0, verdicts: failing },
      { at: 70_000, ready: true, restarts: 0, verdicts: failing },
    ]);
    expect(actions).toEqual(['observe', 'observe', 'rollback']);
    expect(state.events.map((e) => e.what)).toContain('failed: gate success-rate failed 2 time(s)');
  });

  it('does not keep a release no player ever reached: inconclusive through the whole bake is a rollback', () => {
    const idle = { 'success-rate': 'inconclusive', 'p99-latency': 'inconclusive' } as const;
    const { state, actions } = run([
      { at: 10_000, ready: true, restarts: 0 },
      { at: 70_000, ready: true, restarts: 0, verdicts: idle },
      { at: 131_000, ready: true, restarts: 0, verdicts: idle },
    ]);
    expect(actions.at(-1)).toBe('rollback');
    expect(state.events.map((e) => e.what).join('\n')).toContain('no measurement proved success-rate, p99-latency');
  });

  it('does not keep a release whose gates were never measured at all, nor one measured for one gate only', () => {
    expect(run([{ at: 10_000, ready: true, restarts: 0 }, { at: 200_000, ready: true, restarts: 0 }]).state.phase).toBe('rolling-back');
    const oneGate = run([{ at: 10_000, ready: true, restarts: 0 }, { at: 200_000, ready: true, restarts: 0, verdicts: { 'success-rate': 'successful' } }]);
    expect(summary(oneGate.state).join('\n')).toMatch(/no measurement proved p99-latency/);
  });

  it('rolls back when the new pod stops being ready during the bake', () => {
    const { actions } = run([
      { at: 10_000, ready: true, restarts: 0 },
      { at: 40_000, ready: false, restarts: 0, verdicts: ok },
    ]);
    expect(actions).toEqual(['observe', 'rollback']);
  });

  it('says so when even the rollback does not come back in time', () => {
    const { state } = run([
      { at: 61_000, ready: false, restarts: 0 },
      { at: 100_000, ready: false, restarts: 0 },
      { at: 125_000, ready: false, restarts: 0 },
    ]);
    expect(state.phase).toBe('rollback-failed');
  });
});

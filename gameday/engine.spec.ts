import { type GameDayIO, type Observation, type PlayersView, runGameDay } from './engine.ts';
import { defineScenario, type Scenario } from './scenario.ts';

const T0 = Date.parse('2026-12-03T10:00:00Z');
const s = (seconds: number) => seconds * 1000;

/** A scripted world: alert states by time since the start, a fake clock that sleeps instantly. */
function world(options: {
  alerts?: (t: number) => Observation['alerts'];
  routed?: (t: number) => Observation['routed'];
  traces?: (t: number) => number;
  query?: (t: number) => number | undefined;
  players?: Partial<PlayersView>;
}) {
  let now = T0;
  const calls: string[] = [];
  const io: GameDayIO = {
    now: () => now,
    sleep: async (ms) => {
      now += Math.max(ms, 1);
    },
    observe: async () => ({ alerts: options.alerts?.(now - T0) ?? [], routed: options.routed?.(now - T0) }),
    traces: async () => options.traces?.(now - T0) ?? 0,
    query: async () => options.query?.(now - T0),
    players: { present: false, firstBadAt: () => undefined, lastBadAt: () => undefined, failureRatio: () => undefined, ...options.players },
    inject: async () => void calls.push(`inject@${(now - T0) / 1000}`),
    stopFault: async () => void calls.push(`stop@${(now - T0) / 1000}`),
    log: () => undefined,
  };
  return { io, calls };
}

const scenario = (overrides: Partial<Scenario> = {}): Scenario =>
  defineScenario({
    name: 'test',
    description: 'a scripted game day',
    players: { count: 1, arrivalRate: 1, ramp: '0s' },
    baseline: '10s',
    fault: { description: 'errors', chaosType: 'error', needs: 'service', inject: async () => undefined, stop: async () => undefined },
    duration: '60s',
    expect: { alerts: [{ name: 'Burn', labels: { severity: 'page' }, within: '30s' }], tracesWithin: '20s', resolveWithin: '60s' },
    guards: [],
    ...overrides,
  });

/** The page fires 15 s after the injection (pending from 12 s) and clears 20 s after the fault stops. */
const burn = (t: number): Observation['alerts'] => {
  if (t >= s(10 + 12) && t < s(10 + 15)) return [{ name: 'Burn', labels: { severity: 'page' }, state: 'pending' }];
  if (t >= s(10 + 15) && t < s(70 + 20)) return [{ name: 'Burn', labels: { severity: 'page' }, state: 'firing' }, { name: 'Burn', labels: { severity: 'ticket' }, state: 'pending' }];
  return [];
};

describe('the game-day engine', () => {
  it('passes when the alert fires in time, traces are found and it resolves: TTD from the injection, TTR from the stop', async () => {
    const { io, calls } = world({ alerts: burn, traces: (t) => (t >= s(13) ? 3 : 0), routed: (t) => (t >= s(27) && t < s(90) ? [{ name: 'Burn', labels: { severity: 'page' }, receivers: ['page'] }] : []) });
    const result = await runGameDay(scenario(), io);
    expect(result.reasons).toEqual([]);
    expect(result.verdict).toBe('passed');
    expect(calls).toEqual(['inject@10', 'stop@70']);
    expect(result.timeToDetectMs).toBe(s(15));
    expect(result.timeToRecoverMs).toBe(s(20));
    expect(result.alerts[0]).toMatchObject({ alert: 'Burn{severity="page"}', pendingAt: T0 + s(22), firingAt: T0 + s(25), deliveredAt: T0 + s(27), receivers: ['page'], resolvedAt: T0 + s(90) });
    expect(result.timeline.map((e) => e.event)).toEqual(['baseline', 'injected', 'traces found', 'pending', 'firing', 'delivered', 'fault stopped', 'resolved', 'ended']);
  });

  it('fails when the alert misses its detection deadline, saying which and by how long', async () => {
    const late = (t: number) => burn(t - s(20));
    const { io } = world({ alerts: late, traces: () => 1 });
    const result = await runGameDay(scenario(), io);
    expect(result.verdict).toBe('failed');
    expect(result.reasons).toEqual(['Burn{severity="page"} did not fire within 30s of the injection']);
    expect(result.timeToDetectMs).toBe(s(35));
    expect(result.timeline.map((e) => e.event)).toContain('deadline missed');
  });

  it('fails when an alert never resolves, and stops waiting at the resolve deadline', async () => {
    const stuck = (t: number) => (t >= s(25) ? [{ name: 'Burn', labels: { severity: 'page' }, state: 'firing' as const }] : []);
    const { io } = world({ alerts: stuck, traces: () => 1 });
    const result = await runGameDay(scenario(), io);
    expect(result.verdict).toBe('failed');
    expect(result.reasons).toEqual(['Burn{severity="page"} never resolved within 60s of the fault stopping']);
    expect(result.timeToRecoverMs).toBeUndefined();
    expect(result.endedAt - T0).toBeGreaterThanOrEqual(s(130));
    expect(result.endedAt - T0).toBeLessThan(s(133));
  });

  it('aborts at once, fault off, when a guard is breached, and still waits for recovery', async () => {
    const { io, calls } = world({
      alerts: burn,
      traces: () => 1,
      query: (t) => (t >= s(40) ? 0.95 : 0.2),
      players: { present: true, failureRatio: () => undefined, firstBadAt: () => T0 + s(11), lastBadAt: () => T0 + s(41) },
    });
    const guarded = scenario({ guards: [{ description: 'server 5xx ratio under 90%', kind: 'prometheus', query: 'ratio', above: 0.9 }] });
    const result = await runGameDay(guarded, io);
    expect(result.verdict).toBe('aborted');
    expect(calls).toEqual(['inject@10', 'stop@40']);
    expect(result.reasons).toEqual(['guard breached: server 5xx ratio under 90% (0.95 > 0.9)']);
    expect(result.timeline.find((entry) => entry.event === 'fault stopped')?.detail).toBe('stopped early: a guard was breached');
    expect(result.timeline.map((e) => e.event)).toEqual(expect.arrayContaining(['guard breached', 'fault stopped', 'first bad request', 'players recovered']));
    expect(result.playersRecoveredMs).toBe(s(1));
  });

  it('does not inject at all when an expected alert is already firing during the baseline', async () => {
    const { io, calls } = world({ alerts: () => [{ name: 'Burn', labels: { severity: 'page' }, state: 'firing' }] });
    const result = await runGameDay(scenario(), io);
    expect(calls).toEqual([]);
    expect(result.verdict).toBe('failed');
    expect(result.reasons).toEqual(['not a clean baseline: Burn{severity="page"} already firing before any fault']);
  });

  it('fails without trace evidence, and a players guard uses the players\' own failure ratio', async () => {
    const { io, calls } = world({ alerts: burn, players: { present: true, failureRatio: (w) => (w === s(30) ? 0.99 : 0), firstBadAt: () => undefined, lastBadAt: () => undefined } });
    const result = await runGameDay(scenario({ guards: [{ description: 'players mostly served', kind: 'players', failureRatioAbove: 0.8, window: '30s' }] }), io);
    expect(calls).toEqual(['inject@10', 'stop@10']);
    expect(result.verdict).toBe('aborted');
    const { io: io2 } = world({ alerts: burn });
    const noTraces = await runGameDay(scenario(), io2);
    expect(noTraces.reasons).toEqual(['no trace with chaos.type=error within 20s of the injection']);
  });
});

describe('the game-day engine with faults that misbehave', () => {
  it('fails, without throwing, when the fault cannot be injected or does not end cleanly', async () => {
    const { io } = world({ alerts: burn, traces: () => 1 });
    io.inject = async () => {
      throw new Error('PUT /chaos answered 401');
    };
    const refused = await runGameDay(scenario(), io);
    expect(refused.verdict).toBe('aborted');
    expect(refused.reasons[0]).toBe('the fault could not be injected: PUT /chaos answered 401');
    expect(refused.timeline.find((entry) => entry.event === 'fault stopped')?.detail).toBe('stopped early: the fault could not be injected');

    const { io: io2 } = world({ alerts: burn, traces: () => 1 });
    io2.stopFault = async () => {
      throw new Error('the bad release was not rolled back (npm run release exited 0)');
    };
    const unclean = await runGameDay(scenario(), io2);
    expect(unclean.verdict).toBe('failed');
    expect(unclean.reasons).toEqual(['the fault did not end as it should: the bad release was not rolled back (npm run release exited 0)']);
  });

  it('measures the players\' disruption with no alert expected (a pod kill\'s downtime)', async () => {
    const { io } = world({ players: { present: true, failureRatio: () => 0.1, firstBadAt: (since) => (since <= T0 + s(11) ? T0 + s(11) : undefined), lastBadAt: (since) => (since <= T0 + s(19) ? T0 + s(19) : undefined) } });
    const result = await runGameDay(scenario({ expect: { alerts: [], resolveWithin: '30s' }, fault: { description: 'pod kill', needs: 'cluster', inject: async () => undefined, stop: async () => undefined } }), io);
    expect(result.verdict).toBe('passed');
    expect(result.playersDisruptionMs).toBe(s(8));
  });
});

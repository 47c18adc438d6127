import { chaosChangeSchema } from '../src/chaos/chaos.settings.ts';
import { ruleFile } from '../charts/observability/prometheus-config.ts';
import badRelease from '../gamedays/bad-release.ts';
import errorBurstScore from '../gamedays/error-burst-score.ts';
import latencyLeaderboard from '../gamedays/latency-leaderboard.ts';
import podKill from '../gamedays/pod-kill.ts';
import smoke from '../gamedays/smoke.ts';
import storageFault from '../gamedays/storage-fault.ts';
import { shippedScenarios } from './command.ts';
import { durationMs } from './engine.ts';

const SCENARIOS = { 'bad-release': badRelease, 'error-burst-score': errorBurstScore, 'latency-leaderboard': latencyLeaderboard, 'pod-kill': podKill, smoke, 'storage-fault': storageFault };
const ALERT_NAMES = new Set(ruleFile().groups.flatMap((group) => group.rules.flatMap((rule) => ('alert' in rule ? [rule.alert] : []))));

describe.each(Object.entries(SCENARIOS))('the shipped scenario %s', (file, scenario) => {
  it('is named after its file and listed', () => {
    expect(scenario.name).toBe(file);
    expect(shippedScenarios()).toContain(file);
  });

  it('has durations that parse, and deadlines the run can meet', () => {
    for (const text of [scenario.baseline, scenario.duration, scenario.players.ramp, scenario.expect.resolveWithin, ...scenario.expect.alerts.map((a) => a.within), ...(scenario.expect.tracesWithin ? [scenario.expect.tracesWithin] : [])]) {
      expect(() => durationMs(text)).not.toThrow();
    }
  });

  it('expects only alerts the chart ships, and chaos settings the service accepts', () => {
    for (const alert of scenario.expect.alerts) expect(ALERT_NAMES).toContain(alert.name);
    if (scenario.fault.chaosSettings) expect(chaosChangeSchema.safeParse({ ...scenario.fault.chaosSettings, durationSeconds: 60 }).error).toBeUndefined();
  });
});

it('every shipped scenario is covered here', () => {
  expect(Object.keys(SCENARIOS).sort()).toEqual(shippedScenarios());
});

import { ChaosPolicy } from './chaos.policy.ts';
import { DEFAULT_CHAOS_SETTINGS, type ChaosSettings } from './chaos.settings.ts';

const settings = (overrides: Partial<ChaosSettings>): ChaosSettings => ({ ...DEFAULT_CHAOS_SETTINGS, enabled: true, ...overrides });

describe('ChaosPolicy', () => {
  it('touches nothing when disabled or off-target', () => {
    const off = new ChaosPolicy(settings({ enabled: false, errorRate: 1 }));
    expect(off.decide('/score')).toEqual({ latencyMs: 0 });
    const on = new ChaosPolicy(settings({ errorRate: 1 }));
    expect(on.decide('/game-start')).toEqual({ latencyMs: 0 });
    expect(on.decide(undefined)).toEqual({ latencyMs: 0 });
  });

  it('injects errors at the configured rate with the configured status', () => {
    const policy = new ChaosPolicy(settings({ errorRate: 0.3, errorStatus: 502, seed: 1 }));
    const decisions = Array.from({ length: 10_000 }, () => policy.decide('/score'));
    const errors = decisions.filter((d) => d.errorStatus !== undefined);
    expect(errors.length / decisions.length).toBeGreaterThan(0.27);
    expect(errors.length / decisions.length).toBeLessThan(0.33);
    expect(new Set(errors.map((d) => d.errorStatus))).toEqual(new Set([502]));
  });

  it('replays the same decisions for the same seed, and others for another seed', () => {
    const run = (seed: number) => {
      const policy = new ChaosPolicy(settings({ errorRate: 0.5, latencyMsP50: 10, latencyMsP99: 100, seed }));
      return Array.from({ length: 200 }, () => policy.decide('/score'));
    };
    expect(run(42)).toEqual(run(42));
    expect(run(42)).not.toEqual(run(43));
  });
});

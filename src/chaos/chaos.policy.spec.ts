import { type ChaosTarget, ChaosPolicy } from './chaos.policy.ts';
import { DEFAULT_CHAOS_SETTINGS, type ChaosSettings } from './chaos.settings.ts';

const settings = (overrides: Partial<ChaosSettings>): ChaosSettings => ({ ...DEFAULT_CHAOS_SETTINGS, enabled: true, ...overrides });
const request = (route: string | undefined, method = 'POST', headers: ChaosTarget['headers'] = {}): ChaosTarget => ({ route, method, headers });

describe('ChaosPolicy', () => {
  it('touches nothing when disabled or off-target', () => {
    const off = new ChaosPolicy(settings({ enabled: false, errorRate: 1 }));
    expect(off.decide(request('/score'))).toEqual({ latencyMs: 0 });
    const on = new ChaosPolicy(settings({ errorRate: 1 }));
    expect(on.decide(request('/game-start'))).toEqual({ latencyMs: 0 });
    expect(on.decide(request(undefined))).toEqual({ latencyMs: 0 });
  });

  it('injects errors at the configured rate with the configured status', () => {
    const policy = new ChaosPolicy(settings({ errorRate: 0.3, errorStatus: 502, seed: 1 }));
    const decisions = Array.from({ length: 10_000 }, () => policy.decide(request('/score')));
    const errors = decisions.filter((d) => d.errorStatus !== undefined);
    expect(errors.length / decisions.length).toBeGreaterThan(0.27);
    expect(errors.length / decisions.length).toBeLessThan(0.33);
    expect(new Set(errors.map((d) => d.errorStatus))).toEqual(new Set([502]));
  });

  it('replays the same decisions for the same seed, and others for another seed', () => {
    const run = (seed: number) => {
      const policy = new ChaosPolicy(settings({ errorRate: 0.5, latencyMsP50: 10, latencyMsP99: 100, storageFailureRate: 0.5, seed }));
      return Array.from({ length: 200 }, () => policy.decide(request('/score')));
    };
    expect(run(42)).toEqual(run(42));
    expect(run(42)).not.toEqual(run(43));
  });

  it('targets only the listed methods; an empty list targets every method', () => {
    const postOnly = new ChaosPolicy(settings({ errorRate: 1, methods: ['POST'] }));
    expect(postOnly.targets(request('/score', 'POST'))).toBe(true);
    expect(postOnly.targets(request('/leaderboard', 'GET'))).toBe(false);
    const every = new ChaosPolicy(settings({ errorRate: 1 }));
    expect(every.targets(request('/leaderboard', 'GET'))).toBe(true);
    expect(every.targets(request('/leaderboard', 'HEAD'))).toBe(true);
  });

  it('targets only the cohort carrying the header value, whatever else other requests send', () => {
    const cohort = new ChaosPolicy(settings({ errorRate: 1, header: { name: 'x-cohort', value: 'synthetic' } }));
    expect(cohort.targets(request('/score', 'POST', { 'x-cohort': 'synthetic' }))).toBe(true);
    expect(cohort.targets(request('/score', 'POST', { 'x-cohort': ['real', 'synthetic'] }))).toBe(true);
    expect(cohort.targets(request('/score', 'POST', { 'x-cohort': 'synthetic-2' }))).toBe(false);
    expect(cohort.targets(request('/score', 'POST', {}))).toBe(false);
    expect(cohort.decide(request('/score', 'POST', { 'x-cohort': 'real' }))).toEqual({ latencyMs: 0 });
  });

  it('fails the configured share of commits and delays every targeted one', () => {
    const policy = new ChaosPolicy(settings({ storageFailureRate: 0.25, storageLatencyMs: 40, seed: 7 }));
    const faults = Array.from({ length: 10_000 }, () => policy.decide(request('/score')).storage);
    expect(faults.every((fault) => fault?.latencyMs === 40)).toBe(true);
    const failed = faults.filter((fault) => fault?.fails).length / faults.length;
    expect(failed).toBeGreaterThan(0.22);
    expect(failed).toBeLessThan(0.28);
    expect(new ChaosPolicy(settings({ errorRate: 1 })).decide(request('/score')).storage).toBeUndefined();
  });
});

import { arrivalRateAt, nextArrivalMs } from './crowd.ts';

const lcg = (seed: number) => () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;

describe('arrivals', () => {
  it('ramp linearly to the full rate, then stay there', () => {
    expect(arrivalRateAt(0, 4, 10_000)).toBe(0);
    expect(arrivalRateAt(5000, 4, 10_000)).toBe(2);
    expect(arrivalRateAt(10_000, 4, 10_000)).toBe(4);
    expect(arrivalRateAt(60_000, 4, 10_000)).toBe(4);
    expect(arrivalRateAt(0, 4, 0)).toBe(4);
  });

  it('come as a Poisson process at the full rate once ramped, and more sparsely during the ramp', () => {
    const random = lcg(7);
    const count = (fromMs: number, toMs: number, rate: number, rampMs: number) => {
      let t = fromMs;
      let arrivals = 0;
      while ((t += nextArrivalMs(random, t, rate, rampMs)) < toMs) arrivals++;
      return arrivals;
    };
    // 2/s for 1000 s after the ramp: ~2000 arrivals (Poisson: sd ~45).
    expect(count(60_000, 1_060_000, 2, 60_000)).toBeGreaterThan(1850);
    expect(count(60_000, 1_060_000, 2, 60_000)).toBeLessThan(2150);
    // Over a 1000 s ramp the mean rate is half: ~1000.
    const ramped = count(0, 1_000_000, 2, 1_000_000);
    expect(ramped).toBeGreaterThan(880);
    expect(ramped).toBeLessThan(1120);
  });
});

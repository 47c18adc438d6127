import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { latencyQuantile, standardNormal } from './latency-distribution.ts';

function draws(p50: number, p99: number, n = 10_000, seed = 7): number[] {
  const rng = xoroshiro128plus(seed);
  const quantile = latencyQuantile(p50, p99);
  return Array.from({ length: n }, () => quantile(standardNormal(uniformFloat64(rng), uniformFloat64(rng)))).sort((a, b) => a - b);
}

const percentile = (sorted: number[], p: number) => sorted[Math.ceil((p / 100) * sorted.length) - 1]!;

describe('chaos latency distribution', () => {
  it.each([
    [100, 500],
    [50, 2000],
    [200, 250],
    [20, 800],
  ])('P50=%d, P99=%d: the sample median and p99 of 10,000 draws are within 10%%', (p50, p99) => {
    const sorted = draws(p50, p99);
    expect(Math.abs(percentile(sorted, 50) - p50) / p50).toBeLessThan(0.1);
    expect(Math.abs(percentile(sorted, 99) - p99) / p99).toBeLessThan(0.1);
  });

  it('never exceeds the 60 s ceiling, even for extreme spreads', () => {
    expect(draws(1, 60_000).at(-1)).toBeLessThanOrEqual(60_000);
  });

  it('equal P50 and P99 give a constant delay', () => {
    expect(new Set(draws(250, 250, 1000))).toEqual(new Set([250]));
  });

  it('P50=0 still produces the configured p99, and a median of zero', () => {
    const sorted = draws(0, 400);
    expect(percentile(sorted, 50)).toBeLessThan(400 * 0.01);
    expect(Math.abs(percentile(sorted, 99) - 400) / 400).toBeLessThan(0.1);
  });

  it('P99=0 means no delay', () => {
    expect(Math.max(...draws(0, 0, 100))).toBe(0);
  });
});

import { MAX_CHAOS_LATENCY_MS } from './chaos.settings.ts';

/** The standard normal quantile at 0.99: a log-normal's p99 is exp(mu + Z99 * sigma). */
const Z99 = 2.3263478740408408;

/** A standard normal draw from two uniforms in [0, 1) (Box–Muller). */
export function standardNormal(u1: number, u2: number): number {
  return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
}

/**
 * A delay distribution whose median is `p50` and whose 99th percentile is `p99`:
 * - p50 > 0: log-normal with mu = ln(p50) and sigma = ln(p99 / p50) / Z99 (equal values: constant);
 * - p50 = 0 < p99: half of the requests get no delay, the others a half-normal tail scaled so that
 *   the 99th percentile lands on p99 (a log-normal cannot have a median of 0).
 * Returns a function of one standard normal draw, so callers own the randomness (and its seed).
 */
export function latencyQuantile(p50: number, p99: number): (z: number) => number {
  if (p99 <= 0) return () => 0;
  const cap = (ms: number) => Math.min(MAX_CHAOS_LATENCY_MS, Math.max(0, ms));
  if (p50 === p99) return () => p50;
  if (p50 <= 0) return (z) => (z <= 0 ? 0 : cap((p99 * z) / Z99));
  const mu = Math.log(p50);
  const sigma = Math.log(p99 / p50) / Z99;
  return (z) => cap(Math.exp(mu + sigma * z));
}

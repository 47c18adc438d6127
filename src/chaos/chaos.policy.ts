import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { ChaosSettings } from './chaos.settings.ts';
import { latencyQuantile, standardNormal } from './latency-distribution.ts';

export interface ChaosDecision {
  /** Delay to add before the request proceeds, in whole milliseconds; 0 for none. */
  latencyMs: number;
  /** Status to answer instead of handling the request; undefined for none. */
  errorStatus?: number;
}

const NO_CHAOS: ChaosDecision = { latencyMs: 0 };

/**
 * Pure fault-injection policy: given the settings and a source of uniforms, decides what happens to
 * each targeted request. With a seed, the same sequence of requests gets the same decisions.
 */
export class ChaosPolicy {
  private readonly routes: ReadonlySet<string>;
  private readonly latencyFor: (z: number) => number;
  private readonly uniform: () => number;

  constructor(readonly settings: ChaosSettings) {
    this.routes = new Set(settings.routes);
    this.latencyFor = latencyQuantile(settings.latencyMsP50, settings.latencyMsP99);
    if (settings.seed === null) {
      this.uniform = Math.random;
    } else {
      const rng = xoroshiro128plus(settings.seed);
      this.uniform = () => uniformFloat64(rng);
    }
  }

  targets(route: string | undefined): boolean {
    return this.settings.enabled && route !== undefined && this.routes.has(route);
  }

  /** Draws the next decision; always three uniforms per call so a seed replays whatever the settings. */
  decide(route: string | undefined): ChaosDecision {
    if (!this.targets(route)) return NO_CHAOS;
    const errorDraw = this.uniform();
    const latencyMs = Math.round(this.latencyFor(standardNormal(this.uniform(), this.uniform())));
    const errorStatus = errorDraw < this.settings.errorRate ? this.settings.errorStatus : undefined;
    return { latencyMs, errorStatus };
  }
}

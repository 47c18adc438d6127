import type { IncomingHttpHeaders } from 'node:http';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { ChaosSettings } from './chaos.settings.ts';
import { latencyQuantile, standardNormal } from './latency-distribution.ts';

/** What targeting looks at: the matched route template, the method and the request's headers. */
export interface ChaosTarget {
  route: string | undefined;
  method: string;
  headers: IncomingHttpHeaders;
}

/** What happens to a targeted score write at its commit. */
export interface StorageFault {
  /** Added before the commit, in whole milliseconds; 0 for none. */
  latencyMs: number;
  /** The commit fails: nothing is stored, the write is answered 503. */
  fails: boolean;
}

export interface ChaosDecision {
  /** Delay to add before the request proceeds, in whole milliseconds; 0 for none. */
  latencyMs: number;
  /** Status to answer instead of handling the request; undefined for none. */
  errorStatus?: number;
  /** What happens to the score this request writes, if it writes one; undefined for nothing. */
  storage?: StorageFault;
}

const NO_CHAOS: ChaosDecision = { latencyMs: 0 };

/**
 * Pure fault-injection policy: given the settings and a source of uniforms, decides what happens to
 * each targeted request. With a seed, the same sequence of requests gets the same decisions.
 */
export class ChaosPolicy {
  private readonly routes: ReadonlySet<string>;
  private readonly methods: ReadonlySet<string>;
  private readonly latencyFor: (z: number) => number;
  private readonly uniform: () => number;

  constructor(readonly settings: ChaosSettings) {
    this.routes = new Set(settings.routes);
    this.methods = new Set(settings.methods);
    this.latencyFor = latencyQuantile(settings.latencyMsP50, settings.latencyMsP99);
    if (settings.seed === null) {
      this.uniform = Math.random;
    } else {
      const rng = xoroshiro128plus(settings.seed);
      this.uniform = () => uniformFloat64(rng);
    }
  }

  /** Whether the request is in scope: enabled, a targeted route, a targeted method, the cohort's header. */
  targets({ route, method, headers }: ChaosTarget): boolean {
    if (!this.settings.enabled || route === undefined || !this.routes.has(route)) return false;
    if (this.methods.size > 0 && !this.methods.has(method)) return false;
    const { header } = this.settings;
    if (header === null) return true;
    const sent = headers[header.name];
    return Array.isArray(sent) ? sent.includes(header.value) : sent === header.value;
  }

  /** Draws the next decision; always four uniforms per call so a seed replays whatever the settings. */
  decide(target: ChaosTarget): ChaosDecision {
    if (!this.targets(target)) return NO_CHAOS;
    const errorDraw = this.uniform();
    const latencyMs = Math.round(this.latencyFor(standardNormal(this.uniform(), this.uniform())));
    const storageDraw = this.uniform();
    const errorStatus = errorDraw < this.settings.errorRate ? this.settings.errorStatus : undefined;
    const storage = this.storageFault(storageDraw);
    return { latencyMs, errorStatus, ...(storage ? { storage } : {}) };
  }

  private storageFault(draw: number): StorageFault | undefined {
    const fails = draw < this.settings.storageFailureRate;
    const latencyMs = this.settings.storageLatencyMs;
    return fails || latencyMs > 0 ? { latencyMs, fails } : undefined;
  }
}

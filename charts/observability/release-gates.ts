import { APP_JOB, REVISION_LABEL } from './prometheus-config.ts';
import { p99Seconds, playerApi, successRatio } from './promql.ts';

/**
 * The runbook's release gates — success rate ≥ 99.5% and p99 < 500 ms — measured on one revision's
 * pods only. Defined once, as data: the Argo Rollouts AnalysisTemplate renders its conditions from it,
 * and the single-writer release command judges with the same `judge`. The queries are the alert rules'
 * own PromQL (promql.ts) with a revision selector.
 */

export { REVISION_LABEL };

export interface ReleaseGate {
  /** The AnalysisTemplate metric name. */
  name: 'success-rate' | 'p99-latency';
  /** PromQL for the revision whose pod-template hash is `revision` (Argo passes `{{args.revision}}`). */
  query(revision: string, window: string): string;
  /** Passing means value `comparator` threshold. */
  comparator: '>=' | '<';
  threshold: number;
}

const revisionSelector = (revision: string) => playerApi(`job="${APP_JOB}",${REVISION_LABEL}="${revision}"`);

export const RELEASE_GATES: readonly ReleaseGate[] = [
  { name: 'success-rate', query: (revision, window) => successRatio(revisionSelector(revision), window), comparator: '>=', threshold: 0.995 },
  { name: 'p99-latency', query: (revision, window) => p99Seconds(revisionSelector(revision), window), comparator: '<', threshold: 0.5 },
];

export type Verdict = 'successful' | 'failed' | 'inconclusive';

/**
 * A gate's verdict on a query's result (an instant vector's values). No series or NaN — a revision
 * that has had no traffic yet — is inconclusive, never a success: otherwise an idle canary would pass.
 */
export function judge(gate: ReleaseGate, values: readonly number[]): Verdict {
  const value = values[0];
  if (value === undefined || Number.isNaN(value)) return 'inconclusive';
  const passes = gate.comparator === '>=' ? value >= gate.threshold : value < gate.threshold;
  return passes ? 'successful' : 'failed';
}

/**
 * The same verdict in Argo Rollouts' expression language: neither condition holds for an empty or NaN
 * result, which Argo counts as inconclusive (bounded by the template's inconclusiveLimit).
 */
export function argoConditions(gate: ReleaseGate): { successCondition: string; failureCondition: string } {
  const measured = 'len(result) > 0 && !isNaN(result[0])';
  const failing = gate.comparator === '>=' ? '<' : '>=';
  return {
    successCondition: `${measured} && result[0] ${gate.comparator} ${gate.threshold}`,
    failureCondition: `${measured} && result[0] ${failing} ${gate.threshold}`,
  };
}

import type { IAnalysisTemplate, IMetric } from '@kubernetes-models/argo-rollouts/argoproj.io/v1alpha1';
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { labelsOf } from '../labels.ts';
import { argoConditions, RELEASE_GATES } from '../observability/release-gates.ts';
import type { Values } from '../values.ts';
import { APP_NAME } from './app-names.ts';
import { inClusterPrometheusUrl } from './observability.ts';

export const ANALYSIS_TEMPLATE = { apiVersion: 'argoproj.io/v1alpha1', kind: 'AnalysisTemplate' } as const;
export const RELEASE_GATES_NAME = `${APP_NAME}-release-gates`;
/** The argument Argo fills with the new revision's pod-template hash. */
export const REVISION_ARG = 'revision';

export interface ReleaseAnalysisProps {
  /** `release` (interval @default 1m, window @default 2m, count @default 5, failureLimit @default 1, inconclusiveLimit @default 2, prometheusAddress) and `namespace`. */
  values: Values;
}

/**
 * The runbook's release gates as an Argo Rollouts AnalysisTemplate (Prometheus provider), rendered from
 * `RELEASE_GATES` — the alert rules' PromQL on the new revision's pods — so a gate and an alert cannot
 * disagree. Each metric is inconclusive while the revision has no player traffic (empty or NaN).
 */
export class ReleaseAnalysis extends Construct {
  constructor(scope: Construct, id: string, { values }: ReleaseAnalysisProps) {
    super(scope, id);
    const { release } = values;
    const address = release.prometheusAddress || inClusterPrometheusUrl(values.namespace);
    // Typed with the Argo Rollouts models: a misspelt field is a type error (the schema check in the
    // chart tests validates types and required fields, but the CRD schema allows unknown fields).
    const template: IAnalysisTemplate = {
      ...ANALYSIS_TEMPLATE,
      metadata: { name: RELEASE_GATES_NAME, namespace: values.namespace, labels: labelsOf({ name: APP_NAME, component: 'release' }) },
      spec: {
        args: [{ name: REVISION_ARG }],
        metrics: RELEASE_GATES.map((gate): IMetric => ({
          name: gate.name,
          interval: release.interval,
          count: release.count,
          failureLimit: release.failureLimit,
          inconclusiveLimit: release.inconclusiveLimit,
          ...argoConditions(gate),
          provider: { prometheus: { address, query: gate.query(`{{args.${REVISION_ARG}}}`, release.window) } },
        })),
      },
    };
    new ApiObject(this, 'template', template as ConstructorParameters<typeof ApiObject>[2]);
  }
}

import { Construct } from 'constructs';
import * as k8s from 'cdk8s-plus-27/lib/imports/k8s.js';
import { labelsOf, selectorLabels } from '../labels.ts';
import type { Values } from '../values.ts';
import { ROLLOUT } from './app-rollout.ts';
import { APP_NAME } from './app-names.ts';

export interface ScaleOutProps {
  /** `scaling` (min/max replicas, CPU target) and `namespace`; rendered only with `database.engine: postgres`. */
  values: Values;
}

/**
 * What keeps the scale-out Rollout sized and available: a HorizontalPodAutoscaler (autoscaling/v2)
 * on CPU utilisation between `scaling.minReplicas` (@default 2) and `maxReplicas` (@default 10) at
 * `targetCpuPercent` (@default 70) of the CPU request — the runbook's sizing — and a
 * PodDisruptionBudget allowing one voluntary eviction at a time, which never blocks a node drain at any
 * replica count (a `minAvailable` equal to the minimum would, at the minimum).
 */
export class ScaleOut extends Construct {
  constructor(scope: Construct, id: string, { values }: ScaleOutProps) {
    super(scope, id);
    const metadata = { name: APP_NAME, namespace: values.namespace, labels: labelsOf({ name: APP_NAME, component: 'scaling' }) };
    const { minReplicas, maxReplicas, targetCpuPercent } = values.scaling;
    new k8s.KubeHorizontalPodAutoscalerV2(this, 'hpa', {
      metadata,
      spec: {
        scaleTargetRef: { ...ROLLOUT, name: APP_NAME },
        minReplicas,
        maxReplicas,
        metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: targetCpuPercent } } }],
        behavior: {
          // Scale out fast on a burst; scale in slowly, so a game day's load pattern does not flap the count.
          scaleUp: { stabilizationWindowSeconds: 0, policies: [{ type: 'Pods', value: 2, periodSeconds: 30 }] },
          scaleDown: { stabilizationWindowSeconds: 300, policies: [{ type: 'Pods', value: 1, periodSeconds: 60 }] },
        },
      },
    });
    new k8s.KubePodDisruptionBudget(this, 'pdb', {
      metadata,
      spec: {
        selector: { matchLabels: selectorLabels(APP_NAME) },
        maxUnavailable: k8s.IntOrString.fromNumber(1),
        // A pod that is not ready (a bad rollout) may be evicted: it serves nothing, and keeping it blocks drains.
        unhealthyPodEvictionPolicy: 'AlwaysAllow',
      },
    });
  }
}

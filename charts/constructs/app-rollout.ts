import type { IRollout, IRolloutStrategy } from '@kubernetes-models/argo-rollouts/argoproj.io/v1alpha1';
import { ApiObject } from 'cdk8s';
import type { Construct } from 'constructs';
import * as k8s from 'cdk8s-plus-27/lib/imports/k8s.js';
import { labelsOf, selectorLabels } from '../labels.ts';
import type { Values } from '../values.ts';
import { APP_NAME, PUBLIC_PORT, PUBLIC_SERVICE } from './app-names.ts';
import { RELEASE_GATES_NAME, REVISION_ARG } from './release-analysis.ts';
import { CANARY_SERVICE, publicServicePort, trafficRouterOf } from './traffic-routing.ts';

export const ROLLOUT = { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout' } as const;
/** The label Argo Rollouts puts on each revision's pods (Deployments' `pod-template-hash` is not set). */
export const REVISION_POD_LABEL = 'rollouts-pod-template-hash';
/** blueGreen: the Service that reaches the new revision before promotion (the test listener). */
export const PREVIEW_SERVICE = `${APP_NAME}-preview`;

/** The gates' argument: the pod-template hash of the revision being released. */
const GATES = { templates: [{ templateName: RELEASE_GATES_NAME }], args: [{ name: REVISION_ARG, valueFrom: { podTemplateHashValue: 'Latest' } }] };

/**
 * The scale-out app as an Argo Rollouts `Rollout` (a Deployment Argo Rollouts can gate): the same pod
 * template, never below the ready minimum while it rolls (`maxUnavailable: 0`), and the strategy
 * `release.strategy` names, judged by the release gates' AnalysisTemplate on the new revision's pods.
 */
export function renderRollout(scope: Construct, values: Values, labels: Record<string, string>, template: k8s.PodTemplateSpec): void {
  const rollout: IRollout = {
    ...ROLLOUT,
    metadata: { name: APP_NAME, namespace: values.namespace, labels },
    spec: {
      // The HPA owns the count from here on; this is the count before it acts.
      replicas: values.scaling.minReplicas,
      selector: { matchLabels: selectorLabels(APP_NAME) },
      minReadySeconds: 5,
      revisionHistoryLimit: 5,
      template: k8s.toJson_PodTemplateSpec(template) as IRollout['spec']['template'],
      strategy: strategy(values),
    },
  };
  new ApiObject(scope, 'rollout', rollout as ConstructorParameters<typeof ApiObject>[2]);
  if (values.release.strategy === 'blueGreen') revisionService(scope, values, 'preview', PREVIEW_SERVICE, PUBLIC_PORT);
  if (trafficRouterOf(values) !== 'replicas') revisionService(scope, values, 'canary', CANARY_SERVICE, publicServicePort(values));
}

function strategy(values: Values): IRolloutStrategy {
  if (values.release.strategy === 'blueGreen') {
    return {
      blueGreen: {
        activeService: PUBLIC_SERVICE,
        previewService: PREVIEW_SERVICE,
        prePromotionAnalysis: GATES,
        // The previous revision stays up a while after the switch: rolling back is instant.
        scaleDownDelaySeconds: 120,
      },
    };
  }
  return {
    canary: {
      maxUnavailable: 0,
      maxSurge: 1,
      ...trafficRouting(values),
      // Weights by replica ratio unless a traffic router is configured: see the README ("Releasing").
      steps: values.release.canarySteps.flatMap(({ weight, pause }) => [{ setWeight: weight }, { pause: { duration: pause } }]),
      analysis: { ...GATES, startingStep: 1 },
    },
  };
}

/**
 * Real weights through the load balancer in front: the Ingress (named like the app) keeps pointing at
 * the public Service, which Argo narrows to the stable revision, and the canary Service gets the step's
 * share — through the ALB's weighted action, or through the canary Ingress Argo clones for NGINX.
 */
function trafficRouting(values: Values): Pick<NonNullable<IRolloutStrategy['canary']>, 'canaryService' | 'stableService' | 'trafficRouting'> {
  const router = trafficRouterOf(values);
  if (router === 'replicas') return {};
  const services = { canaryService: CANARY_SERVICE, stableService: PUBLIC_SERVICE };
  if (router === 'alb') return { ...services, trafficRouting: { alb: { ingress: APP_NAME, servicePort: publicServicePort(values) } } };
  return { ...services, trafficRouting: { nginx: { stableIngress: APP_NAME } } };
}

/**
 * A Service on the public port that Argo Rollouts points at one revision's pods: the preview (blueGreen:
 * players' test traffic before promotion, CodeDeploy's test listener) or the canary (weighted routing).
 */
function revisionService(scope: Construct, values: Values, id: string, name: string, port: number): void {
  new k8s.KubeService(scope, id, {
    metadata: { name, namespace: values.namespace, labels: labelsOf({ name: APP_NAME, component: 'exposure' }) },
    spec: {
      type: 'ClusterIP',
      selector: selectorLabels(APP_NAME),
      ports: [{ name: 'public', port, targetPort: k8s.IntOrString.fromString('public') }],
    },
  });
}

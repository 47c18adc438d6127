import type { Values } from '../values.ts';
import { APP_NAME, PUBLIC_PORT } from './app-names.ts';

/**
 * Who splits a canary's traffic by weight. Argo Rollouts drives the load balancer in front when there
 * is one it supports — the AWS Load Balancer Controller's ALB (weighted target groups) or the AKS
 * application routing add-on (NGINX canary annotations); on kind nothing sits in front of the NodePort,
 * so a step's weight is the share of replicas running the new revision.
 */
export type TrafficRouter = 'alb' | 'nginx' | 'replicas';

export function trafficRouterOf(values: Values): TrafficRouter {
  if (values.database.engine !== 'postgres' || values.release.strategy !== 'canary') return 'replicas';
  if (values.exposure.type === 'alb') return 'alb';
  if (values.exposure.type === 'azureAppRouting') return 'nginx';
  return 'replicas';
}

/** The Service a weighted canary's share of traffic goes to (Argo Rollouts points it at the new revision). */
export const CANARY_SERVICE = `${APP_NAME}-canary`;

/** The public Service's port: kind maps the NodePort straight to the public port; an Ingress uses 80. */
export function publicServicePort(values: Values): number {
  return values.exposure.type === 'nodePort' ? PUBLIC_PORT : 80;
}

/**
 * The ALB reads a weighted forward action from the annotation `actions.<service>` when the rule's
 * backend port is this name; Argo Rollouts writes that annotation at every step.
 */
export const ALB_ACTION_PORT = 'use-annotation';

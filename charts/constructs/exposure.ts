import { Construct } from 'constructs';
import * as k8s from 'cdk8s-plus-27/lib/imports/k8s.js';
import { labelsOf, selectorLabels } from '../labels.ts';
import type { Values } from '../values.ts';
import { APP_NAME, PUBLIC_SERVICE } from './app-names.ts';
import { ALB_ACTION_PORT, publicServicePort, trafficRouterOf } from './traffic-routing.ts';
import { OPERATOR_ROUTES, PLAYER_ROUTES, PREFIX_ROUTES } from '../../src/surface.ts';

export { PUBLIC_SERVICE };

/**
 * The routes players need, as Ingress paths: the player routes of the service's surface (liveness is
 * the load balancer's own target health check, never routed); /metrics, /chaos and /readyz never are.
 */
export const PUBLIC_ROUTES: ReadonlyArray<{ path: string; pathType: 'Exact' | 'Prefix' }> = Object.values(PLAYER_ROUTES).map((path) => ({
  path,
  pathType: PREFIX_ROUTES.includes(path) ? 'Prefix' : 'Exact',
}));

export interface ExposureProps {
  values: Values;
}

/**
 * How players reach the game. Every variant targets the container's `public` port, where the app
 * itself answers only the game and player API (see PUBLIC_PORT in the README), so the restriction
 * holds even where nothing in front can filter paths:
 * - nodePort (kind): a NodePort that kind-config.yaml maps to localhost:8080;
 * - alb (EKS): an Ingress for the AWS Load Balancer Controller, HTTPS with the ACM certificate,
 *   target type ip, health check /healthz, and path rules for the public routes only;
 * - azureAppRouting (AKS): an Ingress for the application routing add-on, TLS from Key Vault, same rules.
 */
export class Exposure extends Construct {
  constructor(scope: Construct, id: string, { values }: ExposureProps) {
    super(scope, id);
    const namespace = values.namespace;
    const labels = labelsOf({ name: APP_NAME, component: 'exposure' });
    const nodePort = values.exposure.type === 'nodePort';

    new k8s.KubeService(this, 'service', {
      metadata: { name: PUBLIC_SERVICE, namespace, labels },
      spec: {
        type: nodePort ? 'NodePort' : 'ClusterIP',
        selector: selectorLabels(APP_NAME),
        ports: [
          {
            name: 'public',
            port: publicServicePort(values),
            targetPort: k8s.IntOrString.fromString('public'),
            ...(nodePort ? { nodePort: values.exposure.nodePort } : {}),
          },
        ],
      },
    });
    if (values.exposure.type === 'alb') this.albIngress(values, labels);
    if (values.exposure.type === 'azureAppRouting') this.appRoutingIngress(values, labels);
  }

  /** With ALB traffic routing, every rule forwards through the weighted action Argo Rollouts maintains. */
  private rules(host: string, port: k8s.ServiceBackendPort = { name: 'public' }): k8s.IngressRule[] {
    return [
      {
        ...(host ? { host } : {}),
        http: {
          paths: PUBLIC_ROUTES.map(({ path, pathType }) => ({
            path,
            pathType,
            backend: { service: { name: PUBLIC_SERVICE, port } },
          })),
        },
      },
    ];
  }

  private albIngress(values: Values, labels: Record<string, string>): void {
    new k8s.KubeIngress(this, 'alb', {
      metadata: {
        name: APP_NAME,
        namespace: values.namespace,
        labels,
        annotations: {
          'alb.ingress.kubernetes.io/scheme': 'internet-facing',
          'alb.ingress.kubernetes.io/target-type': 'ip',
          'alb.ingress.kubernetes.io/listen-ports': '[{"HTTP":80},{"HTTPS":443}]',
          'alb.ingress.kubernetes.io/ssl-redirect': '443',
          'alb.ingress.kubernetes.io/certificate-arn': values.exposure.certificateArn,
          'alb.ingress.kubernetes.io/ssl-policy': 'ELBSecurityPolicy-TLS13-1-2-2021-06',
          'alb.ingress.kubernetes.io/healthcheck-path': OPERATOR_ROUTES.liveness,
          'alb.ingress.kubernetes.io/healthcheck-interval-seconds': '15',
          'alb.ingress.kubernetes.io/healthy-threshold-count': '2',
          'alb.ingress.kubernetes.io/unhealthy-threshold-count': '2',
          // Matches the service's drain: the target leaves the ALB while the pod still serves.
          'alb.ingress.kubernetes.io/target-group-attributes': `deregistration_delay.timeout_seconds=${Math.ceil(values.app.shutdownDelayMs / 1000) + 5}`,
        },
      },
      spec: {
        ingressClassName: 'alb',
        rules: this.rules(values.exposure.host, trafficRouterOf(values) === 'alb' ? { name: ALB_ACTION_PORT } : undefined),
      },
    });
  }

  /**
   * The add-on syncs the Key Vault certificate named by the annotation into the Secret
   * `keyvault-<ingress name>`, so no TLS Secret is created by hand (or missing).
   */
  private appRoutingIngress(values: Values, labels: Record<string, string>): void {
    new k8s.KubeIngress(this, 'app-routing', {
      metadata: {
        name: APP_NAME,
        namespace: values.namespace,
        labels,
        annotations: { 'kubernetes.azure.com/tls-cert-keyvault-uri': values.exposure.tlsKeyVaultCertificateUri },
      },
      spec: {
        ingressClassName: 'webapprouting.kubernetes.azure.com',
        tls: [{ hosts: [values.exposure.host], secretName: `keyvault-${APP_NAME}` }],
        rules: this.rules(values.exposure.host),
      },
    });
  }
}

import { Construct } from 'constructs';
import * as k8s from 'cdk8s-plus-27/lib/imports/k8s.js';
import { stringify } from 'yaml';
import { labelsOf, RESTRICTED_CONTAINER, restrictedPod, selectorLabels } from '../labels.ts';
import { httpProbe, quantity } from './pod-parts.ts';
import { prometheusConfig, ruleFile } from '../observability/prometheus-config.ts';
import { ruleOptions, type Values } from '../values.ts';
import { inClusterAlertmanager } from './alertmanager.ts';

export const PROMETHEUS_NAME = 'prometheus';
export const JAEGER_NAME = 'jaeger';
export const OTLP_GRPC_PORT = 4317;
export const OTLP_HTTP_PORT = 4318;
export const JAEGER_UI_PORT = 16686;
export const PROMETHEUS_PORT = 9090;
/** The `nobody` user the Prometheus image runs as; Jaeger's image uses 10001. */
const PROMETHEUS_UID = 65534;
const JAEGER_UID = 10001;

export interface ObservabilityProps {
  values: Values;
}


/**
 * In-cluster observability for kind: Prometheus (pod discovery limited to the namespace, the
 * runbooks' alert rules, bounded retention) and Jaeger all-in-one receiving OTLP.
 */
export class Observability extends Construct {
  private readonly values: Values;

  constructor(scope: Construct, id: string, { values }: ObservabilityProps) {
    super(scope, id);
    this.values = values;
    this.prometheus();
    this.jaeger();
  }

  private prometheus(): void {
    const { namespace } = this.values;
    const settings = this.values.observability.prometheus;
    const labels = labelsOf({ name: PROMETHEUS_NAME, component: 'monitoring' });

    new k8s.KubeServiceAccount(this, 'prometheus-sa', { metadata: { name: PROMETHEUS_NAME, namespace, labels } });
    new k8s.KubeRole(this, 'prometheus-role', {
      metadata: { name: PROMETHEUS_NAME, namespace, labels },
      rules: [{ apiGroups: [''], resources: ['pods', 'services', 'endpoints'], verbs: ['get', 'list', 'watch'] }],
    });
    new k8s.KubeRoleBinding(this, 'prometheus-binding', {
      metadata: { name: PROMETHEUS_NAME, namespace, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: PROMETHEUS_NAME },
      subjects: [{ kind: 'ServiceAccount', name: PROMETHEUS_NAME, namespace }],
    });
    new k8s.KubeConfigMap(this, 'prometheus-config', {
      metadata: { name: `${PROMETHEUS_NAME}-config`, namespace, labels },
      data: {
        'prometheus.yml': stringify(
          prometheusConfig({
            kubernetesNamespace: namespace,
            ...(this.values.players.enabled ? { players: { kubernetesNamespace: namespace } } : {}),
            scrapeInterval: settings.evaluationInterval,
            evaluationInterval: settings.evaluationInterval,
            ruleFiles: ['/etc/prometheus/alerts.yml'],
            alertmanagers: [inClusterAlertmanager(namespace)],
          }),
        ),
        'alerts.yml': stringify(ruleFile(ruleOptions(this.values))),
      },
    });
    new k8s.KubeDeployment(this, 'prometheus', {
      metadata: { name: PROMETHEUS_NAME, namespace, labels },
      spec: {
        replicas: 1,
        // One TSDB directory: never two Prometheus pods on it at once.
        strategy: { type: 'Recreate' },
        selector: { matchLabels: selectorLabels(PROMETHEUS_NAME) },
        template: {
          metadata: { labels },
          spec: {
            serviceAccountName: PROMETHEUS_NAME,
            // Needed: Prometheus discovers the app's pods through the API (Role above, this namespace only).
            automountServiceAccountToken: true,
            enableServiceLinks: false,
            securityContext: restrictedPod(PROMETHEUS_UID),
            containers: [
              {
                name: 'prometheus',
                image: settings.image,
                args: [
                  '--config.file=/etc/prometheus/prometheus.yml',
                  '--storage.tsdb.path=/prometheus',
                  `--storage.tsdb.retention.time=${settings.retention}`,
                  `--storage.tsdb.retention.size=${settings.retentionSize}`,
                  // Keep the trace ids the latency histogram carries, so a slow bucket links to its trace.
                  '--enable-feature=exemplar-storage',
                  // The lifecycle and admin APIs stay off by default. Never write `--flag=false`: the
                  // flag parser reads `=false` as a stray argument and Prometheus exits at start.
                ],
                ports: [{ name: 'web', containerPort: PROMETHEUS_PORT }],
                startupProbe: { ...httpProbe('/-/ready', 'web'), periodSeconds: 5, failureThreshold: 60 },
                livenessProbe: { ...httpProbe('/-/healthy', 'web'), periodSeconds: 15, failureThreshold: 4 },
                readinessProbe: { ...httpProbe('/-/ready', 'web'), periodSeconds: 5, failureThreshold: 3 },
                resources: {
                  requests: { cpu: quantity('100m'), memory: quantity('256Mi') },
                  limits: { cpu: quantity('1'), memory: quantity(settings.memoryLimit) },
                },
                securityContext: RESTRICTED_CONTAINER,
                volumeMounts: [
                  { name: 'config', mountPath: '/etc/prometheus', readOnly: true },
                  { name: 'data', mountPath: '/prometheus' },
                ],
              },
            ],
            volumes: [
              { name: 'config', configMap: { name: `${PROMETHEUS_NAME}-config` } },
              { name: 'data', emptyDir: { sizeLimit: quantity('1Gi') } },
            ],
          },
        },
      },
    });
    new k8s.KubeService(this, 'prometheus-service', {
      metadata: { name: PROMETHEUS_NAME, namespace, labels },
      spec: {
        selector: selectorLabels(PROMETHEUS_NAME),
        ports: [{ name: 'web', port: PROMETHEUS_PORT, targetPort: k8s.IntOrString.fromString('web') }],
      },
    });
  }

  private jaeger(): void {
    const { namespace } = this.values;
    const settings = this.values.observability.jaeger;
    const labels = labelsOf({ name: JAEGER_NAME, component: 'tracing' });
    new k8s.KubeDeployment(this, 'jaeger', {
      metadata: { name: JAEGER_NAME, namespace, labels },
      spec: {
        replicas: 1,
        strategy: { type: 'Recreate' },
        selector: { matchLabels: selectorLabels(JAEGER_NAME) },
        template: {
          metadata: { labels },
          spec: {
            automountServiceAccountToken: false,
            enableServiceLinks: false,
            securityContext: restrictedPod(JAEGER_UID),
            containers: [
              {
                name: 'jaeger',
                image: settings.image,
                ports: [
                  { name: 'otlp-grpc', containerPort: OTLP_GRPC_PORT },
                  { name: 'otlp-http', containerPort: OTLP_HTTP_PORT },
                  { name: 'ui', containerPort: JAEGER_UI_PORT },
                ],
                startupProbe: { ...httpProbe('/', 'ui'), periodSeconds: 2, failureThreshold: 60 },
                livenessProbe: { ...httpProbe('/', 'ui'), periodSeconds: 15, failureThreshold: 4 },
                readinessProbe: { ...httpProbe('/api/services', 'ui'), periodSeconds: 5, failureThreshold: 3 },
                resources: {
                  requests: { cpu: quantity('50m'), memory: quantity('128Mi') },
                  limits: { cpu: quantity('1'), memory: quantity(settings.memoryLimit) },
                },
                securityContext: RESTRICTED_CONTAINER,
                volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
              },
            ],
            volumes: [{ name: 'tmp', emptyDir: { sizeLimit: quantity('64Mi') } }],
          },
        },
      },
    });
    new k8s.KubeService(this, 'jaeger-service', {
      metadata: { name: JAEGER_NAME, namespace, labels },
      spec: {
        selector: selectorLabels(JAEGER_NAME),
        ports: [
          { name: 'otlp-grpc', port: OTLP_GRPC_PORT, targetPort: k8s.IntOrString.fromString('otlp-grpc') },
          { name: 'otlp-http', port: OTLP_HTTP_PORT, targetPort: k8s.IntOrString.fromString('otlp-http') },
          { name: 'ui', port: JAEGER_UI_PORT, targetPort: k8s.IntOrString.fromString('ui') },
        ],
      },
    });
  }
}

/** The in-cluster collector's OTLP/HTTP address. */
export function inClusterOtlpEndpoint(namespace: string): string {
  return `http://${JAEGER_NAME}.${namespace}.svc.cluster.local:${OTLP_HTTP_PORT}`;
}

/** The in-namespace Prometheus' query API, for whatever evaluates the release gates. */
export function inClusterPrometheusUrl(namespace: string): string {
  return `http://${PROMETHEUS_NAME}.${namespace}.svc.cluster.local:${PROMETHEUS_PORT}`;
}

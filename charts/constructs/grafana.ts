import { Construct } from 'constructs';
import * as k8s from 'cdk8s-plus-27/lib/imports/k8s.js';
import { stringify } from 'yaml';
import { labelsOf, RESTRICTED_CONTAINER, restrictedPod, selectorLabels } from '../labels.ts';
import { httpProbe, quantity } from './pod-parts.ts';
import { dashboardFiles } from '../dashboard-files.ts';
import { GRAFANA_DASHBOARDS_DIR, grafanaDashboardProvider, grafanaDatasources } from '../observability/grafana-provisioning.ts';
import type { Values } from '../values.ts';
import { JAEGER_NAME, JAEGER_UI_PORT, PROMETHEUS_NAME, PROMETHEUS_PORT } from './observability.ts';

export const GRAFANA_NAME = 'grafana';
export const GRAFANA_PORT = 3000;
/** The `grafana` user the image runs as. */
const GRAFANA_UID = 472;

export interface GrafanaProps {
  values: Values;
}


/**
 * Grafana for the kind profiles: the generated dashboards and the in-namespace Prometheus and Jaeger,
 * provisioned read-only; anonymous viewers (reach it with kubectl port-forward), state in an emptyDir.
 */
export class Grafana extends Construct {
  constructor(scope: Construct, id: string, { values }: GrafanaProps) {
    super(scope, id);
    const { namespace } = values;
    const settings = values.observability.grafana;
    const labels = labelsOf({ name: GRAFANA_NAME, component: 'dashboards' });
    const service = (name: string, port: number) => `http://${name}.${namespace}.svc.cluster.local:${port}`;
    new k8s.KubeConfigMap(this, 'provisioning', {
      metadata: { name: `${GRAFANA_NAME}-provisioning`, namespace, labels },
      data: {
        'datasources.yaml': stringify(grafanaDatasources({ prometheus: service(PROMETHEUS_NAME, PROMETHEUS_PORT), jaeger: service(JAEGER_NAME, JAEGER_UI_PORT) })),
        'dashboards.yaml': stringify(grafanaDashboardProvider()),
      },
    });
    new k8s.KubeConfigMap(this, 'dashboards', { metadata: { name: `${GRAFANA_NAME}-dashboards`, namespace, labels }, data: dashboardFiles() });
    new k8s.KubeDeployment(this, 'deployment', {
      metadata: { name: GRAFANA_NAME, namespace, labels },
      spec: {
        replicas: 1,
        strategy: { type: 'Recreate' },
        selector: { matchLabels: selectorLabels(GRAFANA_NAME) },
        template: {
          metadata: { labels },
          spec: {
            automountServiceAccountToken: false,
            enableServiceLinks: false,
            securityContext: restrictedPod(GRAFANA_UID),
            containers: [
              {
                name: 'grafana',
                image: settings.image,
                env: [
                  { name: 'GF_PATHS_DATA', value: '/var/lib/grafana' },
                  { name: 'GF_PATHS_LOGS', value: '/var/lib/grafana/logs' },
                  { name: 'GF_PATHS_PLUGINS', value: '/var/lib/grafana/plugins' },
                  { name: 'GF_PATHS_PROVISIONING', value: '/etc/grafana/provisioning' },
                  // Local only: anyone who can port-forward may look, nobody can edit.
                  { name: 'GF_AUTH_ANONYMOUS_ENABLED', value: 'true' },
                  { name: 'GF_AUTH_ANONYMOUS_ORG_ROLE', value: 'Viewer' },
                  { name: 'GF_ANALYTICS_REPORTING_ENABLED', value: 'false' },
                  { name: 'GF_ANALYTICS_CHECK_FOR_UPDATES', value: 'false' },
                  { name: 'GF_PLUGINS_PREINSTALL_DISABLED', value: 'true' },
                ],
                ports: [{ name: 'web', containerPort: GRAFANA_PORT }],
                startupProbe: { ...httpProbe('/api/health'), periodSeconds: 2, failureThreshold: 90 },
                livenessProbe: { ...httpProbe('/api/health'), periodSeconds: 15, failureThreshold: 4 },
                readinessProbe: { ...httpProbe('/api/health'), periodSeconds: 5, failureThreshold: 3 },
                resources: {
                  requests: { cpu: quantity('50m'), memory: quantity('128Mi') },
                  limits: { cpu: quantity('500m'), memory: quantity(settings.memoryLimit) },
                },
                securityContext: RESTRICTED_CONTAINER,
                volumeMounts: [
                  { name: 'data', mountPath: '/var/lib/grafana' },
                  { name: 'tmp', mountPath: '/tmp' },
                  { name: 'provisioning', mountPath: '/etc/grafana/provisioning/datasources/datasources.yaml', subPath: 'datasources.yaml', readOnly: true },
                  { name: 'provisioning', mountPath: '/etc/grafana/provisioning/dashboards/dashboards.yaml', subPath: 'dashboards.yaml', readOnly: true },
                  { name: 'dashboards', mountPath: GRAFANA_DASHBOARDS_DIR, readOnly: true },
                ],
              },
            ],
            volumes: [
              { name: 'data', emptyDir: { sizeLimit: quantity('256Mi') } },
              { name: 'tmp', emptyDir: { sizeLimit: quantity('64Mi') } },
              { name: 'provisioning', configMap: { name: `${GRAFANA_NAME}-provisioning` } },
              { name: 'dashboards', configMap: { name: `${GRAFANA_NAME}-dashboards` } },
            ],
          },
        },
      },
    });
    new k8s.KubeService(this, 'service', {
      metadata: { name: GRAFANA_NAME, namespace, labels },
      spec: { selector: selectorLabels(GRAFANA_NAME), ports: [{ name: 'web', port: GRAFANA_PORT, targetPort: k8s.IntOrString.fromString('web') }] },
    });
  }
}

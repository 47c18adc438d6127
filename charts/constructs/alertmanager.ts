import { Construct } from 'constructs';
import * as k8s from 'cdk8s-plus-27/lib/imports/k8s.js';
import { stringify } from 'yaml';
import { labelsOf, RESTRICTED_CONTAINER, restrictedPod, selectorLabels } from '../labels.ts';
import { httpProbe, quantity } from './pod-parts.ts';
import { alertmanagerConfig } from '../observability/alertmanager-config.ts';
import type { Values } from '../values.ts';

export const ALERTMANAGER_NAME = 'alertmanager';
export const ALERTMANAGER_PORT = 9093;
/** The `nobody` user the Alertmanager image runs as. */
const ALERTMANAGER_UID = 65534;

export interface AlertmanagerProps {
  values: Values;
}


/**
 * The in-cluster Alertmanager (kind profiles): one replica, its routing tree from
 * charts/observability/alertmanager-config.ts, silences and notification state in an emptyDir (a
 * restart forgets them; managed clusters deliver through their own Alertmanager).
 */
export class Alertmanager extends Construct {
  constructor(scope: Construct, id: string, { values }: AlertmanagerProps) {
    super(scope, id);
    const { namespace } = values;
    const settings = values.observability.alertmanager;
    const labels = labelsOf({ name: ALERTMANAGER_NAME, component: 'monitoring' });
    new k8s.KubeConfigMap(this, 'config', {
      metadata: { name: `${ALERTMANAGER_NAME}-config`, namespace, labels },
      data: { 'alertmanager.yml': stringify(alertmanagerConfig(settings)) },
    });
    new k8s.KubeDeployment(this, 'deployment', {
      metadata: { name: ALERTMANAGER_NAME, namespace, labels },
      spec: {
        replicas: 1,
        strategy: { type: 'Recreate' },
        selector: { matchLabels: selectorLabels(ALERTMANAGER_NAME) },
        template: {
          metadata: { labels },
          spec: {
            automountServiceAccountToken: false,
            enableServiceLinks: false,
            securityContext: restrictedPod(ALERTMANAGER_UID),
            containers: [
              {
                name: 'alertmanager',
                image: settings.image,
                args: [
                  '--config.file=/etc/alertmanager/alertmanager.yml',
                  '--storage.path=/alertmanager',
                  // One replica: no gossip mesh to listen for (an empty address turns clustering off).
                  '--cluster.listen-address=',
                ],
                ports: [{ name: 'web', containerPort: ALERTMANAGER_PORT }],
                startupProbe: { ...httpProbe('/-/ready'), periodSeconds: 2, failureThreshold: 60 },
                livenessProbe: { ...httpProbe('/-/healthy'), periodSeconds: 15, failureThreshold: 4 },
                readinessProbe: { ...httpProbe('/-/ready'), periodSeconds: 5, failureThreshold: 3 },
                resources: {
                  requests: { cpu: quantity('10m'), memory: quantity('32Mi') },
                  limits: { cpu: quantity('200m'), memory: quantity(settings.memoryLimit) },
                },
                securityContext: RESTRICTED_CONTAINER,
                volumeMounts: [
                  { name: 'config', mountPath: '/etc/alertmanager', readOnly: true },
                  { name: 'data', mountPath: '/alertmanager' },
                ],
              },
            ],
            volumes: [
              { name: 'config', configMap: { name: `${ALERTMANAGER_NAME}-config` } },
              { name: 'data', emptyDir: { sizeLimit: quantity('64Mi') } },
            ],
          },
        },
      },
    });
    new k8s.KubeService(this, 'service', {
      metadata: { name: ALERTMANAGER_NAME, namespace, labels },
      spec: { selector: selectorLabels(ALERTMANAGER_NAME), ports: [{ name: 'web', port: ALERTMANAGER_PORT, targetPort: k8s.IntOrString.fromString('web') }] },
    });
  }
}

/** The in-namespace Alertmanager, as Prometheus addresses it. */
export function inClusterAlertmanager(namespace: string): string {
  return `${ALERTMANAGER_NAME}.${namespace}.svc.cluster.local:${ALERTMANAGER_PORT}`;
}

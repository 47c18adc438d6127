import { createHash } from 'node:crypto';
import { Construct } from 'constructs';
import * as k8s from 'cdk8s-plus-27/lib/imports/k8s.js';
import { labelsOf, RESTRICTED_CONTAINER, restrictedPod, selectorLabels } from '../labels.ts';
import { appEnvironment, chaosEnvironment, DATA_MOUNT, DATABASE_CA_KEY, DATABASE_CA_MOUNT, DATABASE_URL_KEY } from '../app-environment.ts';
import type { Values } from '../values.ts';
import { renderRollout, REVISION_POD_LABEL } from './app-rollout.ts';
import { OPERATOR_ROUTES, TERMINATION_GRACE_SECONDS } from '../../src/surface.ts';

import { APP_NAME, HEADLESS_SERVICE, HTTP_PORT, PUBLIC_PORT } from './app-names.ts';

export { APP_NAME, HEADLESS_SERVICE, HTTP_PORT, PUBLIC_PORT };

export interface AppWorkloadProps {
  values: Values;
  /** OTLP/HTTP endpoint the app exports traces to; '' disables tracing. */
  otlpEndpoint: string;
}

/** The zone label every cloud (and kind-config.yaml) puts on nodes. */
export const ZONE_KEY = 'topology.kubernetes.io/zone';

/**
 * The app, a dedicated ServiceAccount without token, the chaos ConfigMap and an internal ClusterIP
 * Service. With SQLite (one writer, as the runbooks decide): a single-replica StatefulSet with its
 * `data` volume claim and governing headless Service. With PostgreSQL (the runbooks' next step): an
 * Argo Rollouts Rollout (app-rollout.ts) that an HPA scales between `scaling.minReplicas` and
 * `maxReplicas`, spread across zones (a zone outage takes at most half at the minimum of 2), rolled
 * without ever dropping below the ready minimum, with a PodDisruptionBudget (see ScaleOut).
 */
export class AppWorkload extends Construct {
  constructor(scope: Construct, id: string, { values, otlpEndpoint }: AppWorkloadProps) {
    super(scope, id);
    const namespace = values.namespace;
    const labels = labelsOf({ name: APP_NAME, component: 'server', version: values.image.tag });

    new k8s.KubeServiceAccount(this, 'service-account', {
      metadata: { name: APP_NAME, namespace, labels },
      automountServiceAccountToken: false,
    });

    const chaos = chaosEnvironment(values);
    new k8s.KubeConfigMap(this, 'chaos', {
      metadata: { name: `${APP_NAME}-chaos`, namespace, labels },
      data: chaos,
    });

    const scaleOut = values.database.engine === 'postgres';
    for (const [serviceId, name, headless] of [
      ...(scaleOut ? [] : ([['headless', HEADLESS_SERVICE, true]] as const)),
      ['internal', APP_NAME, false],
    ] as const) {
      new k8s.KubeService(this, serviceId, {
        metadata: { name, namespace, labels },
        spec: {
          ...(headless ? { clusterIp: 'None' } : { type: 'ClusterIP' }),
          selector: selectorLabels(APP_NAME),
          ports: [{ name: 'http', port: HTTP_PORT, targetPort: k8s.IntOrString.fromString('http') }],
        },
      });
    }

    const template: k8s.PodTemplateSpec = {
      metadata: {
        labels,
        annotations: {
          'prometheus.io/scrape': 'true',
          'prometheus.io/port': String(HTTP_PORT),
          'prometheus.io/path': OPERATOR_ROUTES.metrics,
          // The app reads the chaos ConfigMap at start only: a change must roll the pods (and be a release).
          [CHAOS_CHECKSUM_ANNOTATION]: createHash('sha256').update(JSON.stringify(chaos)).digest('hex').slice(0, 16),
        },
      },
      spec: {
        serviceAccountName: APP_NAME,
        automountServiceAccountToken: false,
        enableServiceLinks: false,
        terminationGracePeriodSeconds: TERMINATION_GRACE_SECONDS,
        securityContext: restrictedPod(values.app.uid),
        containers: [this.container(values, otlpEndpoint)],
        volumes: [{ name: 'tmp', emptyDir: { sizeLimit: k8s.Quantity.fromString('64Mi') } }, ...this.caVolume(values)],
        ...(scaleOut ? { topologySpreadConstraints: spreadAcrossZones() } : {}),
      },
    };
    if (scaleOut) renderRollout(this, values, labels, template);
    else this.statefulSet(values, labels, template);
  }

  private statefulSet(values: Values, labels: Record<string, string>, template: k8s.PodTemplateSpec): void {
    new k8s.KubeStatefulSet(this, 'statefulset', {
      metadata: { name: APP_NAME, namespace: values.namespace, labels },
      spec: {
        replicas: 1,
        serviceName: HEADLESS_SERVICE,
        selector: { matchLabels: selectorLabels(APP_NAME) },
        podManagementPolicy: 'OrderedReady',
        updateStrategy: { type: 'RollingUpdate' },
        persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
        template,
        volumeClaimTemplates: [
          {
            // No version label here: claim templates cannot change on a live StatefulSet.
            metadata: { name: 'data', labels: labelsOf({ name: APP_NAME, component: 'server' }) },
            spec: {
              accessModes: [values.storage.accessMode],
              storageClassName: values.storage.storageClassName,
              resources: { requests: { storage: k8s.Quantity.fromString(values.storage.size) } },
            },
          },
        ],
      },
    });
  }

  private container(values: Values, otlpEndpoint: string): k8s.Container {
    const image = imageReference(values);
    const fieldRef = (fieldPath: string) => ({ valueFrom: { fieldRef: { fieldPath } } });
    return {
      name: 'app',
      image,
      imagePullPolicy: values.image.pullPolicy,
      ports: [
        { name: 'http', containerPort: HTTP_PORT, protocol: 'TCP' },
        { name: 'public', containerPort: PUBLIC_PORT, protocol: 'TCP' },
      ],
      env: [
        ...Object.entries(appEnvironment(values)).map(([name, value]) => ({ name, value })),
        ...(values.database.engine === 'postgres'
          ? [{ name: 'DATABASE_URL', valueFrom: { secretKeyRef: { name: values.database.urlSecretName, key: DATABASE_URL_KEY } } }]
          : []),
        {
          name: 'CHAOS_ADMIN_TOKEN',
          valueFrom: { secretKeyRef: { name: values.chaos.adminSecretName, key: 'token', optional: true } },
        },
        { name: 'OTEL_EXPORTER_OTLP_ENDPOINT', value: otlpEndpoint },
        { name: 'OTEL_SERVICE_NAME', value: APP_NAME },
        { name: 'K8S_NAMESPACE', ...fieldRef('metadata.namespace') },
        { name: 'K8S_POD_NAME', ...fieldRef('metadata.name') },
        { name: 'K8S_NODE_NAME', ...fieldRef('spec.nodeName') },
        {
          name: 'OTEL_RESOURCE_ATTRIBUTES',
          value: 'k8s.namespace.name=$(K8S_NAMESPACE),k8s.pod.name=$(K8S_POD_NAME),k8s.node.name=$(K8S_NODE_NAME)',
        },
      ],
      envFrom: [{ configMapRef: { name: `${APP_NAME}-chaos` } }],
      // Start-up may wait for a slow volume; liveness only restarts a hung process; readiness gates
      // traffic on storage and shutdown. Liveness never looks at storage, so a storage fault cannot
      // turn into a restart loop.
      startupProbe: { httpGet: { path: OPERATOR_ROUTES.liveness, port: k8s.IntOrString.fromString('http') }, periodSeconds: 2, failureThreshold: 30, timeoutSeconds: 2 },
      livenessProbe: { httpGet: { path: OPERATOR_ROUTES.liveness, port: k8s.IntOrString.fromString('http') }, periodSeconds: 10, failureThreshold: 3, timeoutSeconds: 3 },
      readinessProbe: { httpGet: { path: OPERATOR_ROUTES.readiness, port: k8s.IntOrString.fromString('http') }, periodSeconds: 5, failureThreshold: 2, timeoutSeconds: 2 },
      resources: {
        requests: { cpu: k8s.Quantity.fromString(values.app.resources.cpuRequest), memory: k8s.Quantity.fromString(values.app.resources.memoryRequest) },
        limits: { cpu: k8s.Quantity.fromString(values.app.resources.cpuLimit), memory: k8s.Quantity.fromString(values.app.resources.memoryLimit) },
      },
      securityContext: RESTRICTED_CONTAINER,
      volumeMounts: [
        ...(values.database.engine === 'sqlite' ? [{ name: 'data', mountPath: DATA_MOUNT }] : []),
        { name: 'tmp', mountPath: '/tmp' },
        ...(this.caVolume(values).length ? [{ name: 'database-ca', mountPath: DATABASE_CA_MOUNT, readOnly: true }] : []),
      ],
    };
  }

  /** The database's CA bundle (verify-full), from the site's ConfigMap. */
  private caVolume(values: Values): k8s.Volume[] {
    const { engine, sslMode, sslCaConfigMap } = values.database;
    if (engine !== 'postgres' || sslMode !== 'verify-full') return [];
    return [{ name: 'database-ca', configMap: { name: sslCaConfigMap, items: [{ key: DATABASE_CA_KEY, path: DATABASE_CA_KEY }] } }];
  }
}

/** Each revision is spread on its own (matchLabelKeys), so a canary's few pods are spread too. */
function spreadAcrossZones(): k8s.TopologySpreadConstraint[] {
  const labelSelector = { matchLabels: selectorLabels(APP_NAME) };
  const matchLabelKeys = [REVISION_POD_LABEL];
  return [
    { topologyKey: ZONE_KEY, maxSkew: 1, whenUnsatisfiable: 'DoNotSchedule', labelSelector, matchLabelKeys },
    { topologyKey: 'kubernetes.io/hostname', maxSkew: 1, whenUnsatisfiable: 'ScheduleAnyway', labelSelector, matchLabelKeys },
  ];
}

export const CHAOS_CHECKSUM_ANNOTATION = 'drafty-bird.dev/chaos-checksum';

/** The app image as the pod references it: by digest when one is set (release pipeline), else by tag. */
export function imageReference(values: Values): string {
  return values.image.digest ? `${values.image.repository}@${values.image.digest}` : `${values.image.repository}:${values.image.tag}`;
}

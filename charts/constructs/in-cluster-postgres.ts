import { Construct } from 'constructs';
import * as k8s from 'cdk8s-plus-27/lib/imports/k8s.js';
import { labelsOf, RESTRICTED_CONTAINER, restrictedPod, selectorLabels } from '../labels.ts';
import type { Values } from '../values.ts';

export const POSTGRES_NAME = 'drafty-bird-postgres';
export const POSTGRES_PORT = 5432;
/** The database and its owner the app connects as; scripts/database-url.ts builds DATABASE_URL from these. */
export const POSTGRES_DATABASE = 'drafty';
export const POSTGRES_USER = 'app';
/** The official image runs as this user (postgres); it must own the data directory. */
const POSTGRES_UID = 999;
const DATA_DIR = '/var/lib/postgresql/data';

export interface InClusterPostgresProps {
  /** `database.inCluster` (image @default postgres:17.6-bookworm, storageSize @default 1Gi, memoryLimit, passwordSecretName) and `storage.storageClassName`. */
  values: Values;
}

/**
 * PostgreSQL in the namespace, for kind (clouds use a managed server): the official image, pinned, as
 * a one-replica StatefulSet with its volume, Pod Security "restricted" (non-root, read-only root
 * filesystem: the socket directory and /tmp are emptyDirs), `pg_isready` probes. Its password comes
 * from a Secret the cluster script creates; its NetworkPolicy (see NetworkPolicies) admits the app's
 * pods only.
 */
export class InClusterPostgres extends Construct {
  constructor(scope: Construct, id: string, { values }: InClusterPostgresProps) {
    super(scope, id);
    const namespace = values.namespace;
    const { image, storageSize, memoryLimit, passwordSecretName } = values.database.inCluster;
    const labels = labelsOf({ name: POSTGRES_NAME, component: 'database' });
    new k8s.KubeServiceAccount(this, 'service-account', { metadata: { name: POSTGRES_NAME, namespace, labels }, automountServiceAccountToken: false });
    new k8s.KubeService(this, 'service', {
      metadata: { name: POSTGRES_NAME, namespace, labels },
      spec: {
        type: 'ClusterIP',
        selector: selectorLabels(POSTGRES_NAME),
        ports: [{ name: 'postgres', port: POSTGRES_PORT, targetPort: k8s.IntOrString.fromString('postgres') }],
      },
    });
    const isReady = { exec: { command: ['pg_isready', '--host', '127.0.0.1', '--username', POSTGRES_USER, '--dbname', POSTGRES_DATABASE] } };
    const emptyDir = (sizeLimit: string) => ({ emptyDir: { sizeLimit: k8s.Quantity.fromString(sizeLimit) } });
    new k8s.KubeStatefulSet(this, 'statefulset', {
      metadata: { name: POSTGRES_NAME, namespace, labels },
      spec: {
        replicas: 1,
        serviceName: POSTGRES_NAME,
        selector: { matchLabels: selectorLabels(POSTGRES_NAME) },
        persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
        template: {
          metadata: { labels },
          spec: {
            serviceAccountName: POSTGRES_NAME,
            automountServiceAccountToken: false,
            enableServiceLinks: false,
            // A fast shutdown (SIGINT after SIGTERM's smart mode) completes well within this.
            terminationGracePeriodSeconds: 60,
            securityContext: restrictedPod(POSTGRES_UID),
            containers: [
              {
                name: 'postgres',
                image,
                ports: [{ name: 'postgres', containerPort: POSTGRES_PORT, protocol: 'TCP' }],
                env: [
                  { name: 'POSTGRES_USER', value: POSTGRES_USER },
                  { name: 'POSTGRES_DB', value: POSTGRES_DATABASE },
                  { name: 'POSTGRES_PASSWORD', valueFrom: { secretKeyRef: { name: passwordSecretName, key: 'password' } } },
                  // A subdirectory: the volume's root may hold lost+found, which initdb refuses.
                  { name: 'PGDATA', value: `${DATA_DIR}/pgdata` },
                ],
                startupProbe: { ...isReady, periodSeconds: 2, failureThreshold: 60, timeoutSeconds: 3 },
                readinessProbe: { ...isReady, periodSeconds: 5, failureThreshold: 2, timeoutSeconds: 3 },
                livenessProbe: { ...isReady, periodSeconds: 10, failureThreshold: 6, timeoutSeconds: 5 },
                resources: {
                  requests: { cpu: k8s.Quantity.fromString('100m'), memory: k8s.Quantity.fromString('128Mi') },
                  limits: { cpu: k8s.Quantity.fromString('1'), memory: k8s.Quantity.fromString(memoryLimit) },
                },
                securityContext: RESTRICTED_CONTAINER,
                volumeMounts: [
                  { name: 'data', mountPath: DATA_DIR },
                  { name: 'run', mountPath: '/var/run/postgresql' },
                  { name: 'tmp', mountPath: '/tmp' },
                ],
              },
            ],
            volumes: [
              { name: 'run', ...emptyDir('16Mi') },
              { name: 'tmp', ...emptyDir('64Mi') },
            ],
          },
        },
        volumeClaimTemplates: [
          {
            metadata: { name: 'data', labels },
            spec: {
              accessModes: ['ReadWriteOnce'],
              storageClassName: values.storage.storageClassName,
              resources: { requests: { storage: k8s.Quantity.fromString(storageSize) } },
            },
          },
        ],
      },
    });
  }
}

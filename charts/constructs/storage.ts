import { Construct } from 'constructs';
import * as k8s from 'cdk8s-plus-27/lib/imports/k8s.js';
import { labelsOf } from '../labels.ts';
import type { Values } from '../values.ts';
import { APP_NAME } from './app-workload.ts';

export interface StorageProps {
  values: Values;
}

/**
 * The StorageClass the data claim names, where the cluster does not bring one: on EKS, `efs-sc` over
 * the EFS CSI driver, one access point per claim owned by the app's UID/GID (so the non-root process
 * can write without an init container), kept when the claim goes (`Retain`: the leaderboard outlives
 * the release). kind's `standard` and AKS's `azurefile-csi` exist in every cluster of theirs.
 * Cluster-scoped: it is the one object outside the namespace.
 */
export class Storage extends Construct {
  constructor(scope: Construct, id: string, { values }: StorageProps) {
    super(scope, id);
    const { storageClassName, efsFileSystemId } = values.storage;
    if (!efsFileSystemId) return;
    const uid = String(values.app.uid);
    new k8s.KubeStorageClass(this, 'efs', {
      metadata: { name: storageClassName, labels: labelsOf({ name: APP_NAME, component: 'storage' }) },
      provisioner: 'efs.csi.aws.com',
      reclaimPolicy: 'Retain',
      volumeBindingMode: 'Immediate',
      parameters: {
        provisioningMode: 'efs-ap',
        fileSystemId: efsFileSystemId,
        directoryPerms: '700',
        uid,
        gid: uid,
        basePath: '/drafty-bird',
      },
    });
  }
}

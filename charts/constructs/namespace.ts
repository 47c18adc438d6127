import { Construct } from 'constructs';
import * as k8s from 'cdk8s-plus-27/lib/imports/k8s.js';
import { labelsOf } from '../labels.ts';

export interface NamespaceProps {
  /** Name of the namespace. */
  name: string;
}

/** The namespace, enforcing Pod Security "restricted" (and warning/auditing at the same level). */
export class DraftyBirdNamespace extends Construct {
  constructor(scope: Construct, id: string, props: NamespaceProps) {
    super(scope, id);
    new k8s.KubeNamespace(this, 'namespace', {
      metadata: {
        name: props.name,
        labels: {
          ...labelsOf({ name: 'drafty-bird', component: 'namespace' }),
          'pod-security.kubernetes.io/enforce': 'restricted',
          'pod-security.kubernetes.io/enforce-version': 'latest',
          'pod-security.kubernetes.io/warn': 'restricted',
          'pod-security.kubernetes.io/audit': 'restricted',
        },
      },
    });
  }
}

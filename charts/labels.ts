/** The `app.kubernetes.io/*` labels of one component; selectors use only the stable name and instance. */
export interface Component {
  name: string;
  component: string;
  version?: string;
}

export const INSTANCE = 'drafty-bird';

export function selectorLabels(name: string): Record<string, string> {
  return { 'app.kubernetes.io/name': name, 'app.kubernetes.io/instance': INSTANCE };
}

/** Labels as the API's `labelSelector` query (`a=b,c=d`): every label must match. */
export function labelSelector(labels: Readonly<Record<string, string>>): string {
  return Object.entries(labels)
    .map(([key, value]) => `${key}=${value}`)
    .join(',');
}

export function labelsOf({ name, component, version }: Component): Record<string, string> {
  return {
    ...selectorLabels(name),
    'app.kubernetes.io/component': component,
    'app.kubernetes.io/part-of': 'drafty-bird-platform',
    'app.kubernetes.io/managed-by': 'cdk8s',
    ...(version ? { 'app.kubernetes.io/version': version } : {}),
  };
}

/** Pod Security "restricted" container settings, shared by every container in the namespace. */
export const RESTRICTED_CONTAINER = {
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  runAsNonRoot: true,
  capabilities: { drop: ['ALL'] },
  seccompProfile: { type: 'RuntimeDefault' },
};

export function restrictedPod(uid: number): Record<string, unknown> {
  return {
    runAsNonRoot: true,
    runAsUser: uid,
    runAsGroup: uid,
    fsGroup: uid,
    fsGroupChangePolicy: 'OnRootMismatch',
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

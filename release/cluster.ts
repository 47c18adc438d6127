/**
 * The release command's only door to Kubernetes: @kubernetes/client-node on the context the user
 * named (never the kubeconfig's current one), server-side apply under one field manager, and the
 * history Secrets. Proven against a real API server in the kind workflow (scripts/e2e-kind.sh).
 */
import { ApiException, KubeConfig, type KubernetesObject, KubernetesObjectApi, PatchStrategy } from '@kubernetes/client-node';
import { Refused } from './command.ts';
import { fromSecret, HISTORY_SELECTOR, type ReleaseRecord, toSecret } from './history.ts';

/** Who owns the fields the release applies (`kubectl get … --show-managed-fields` shows it). */
export const FIELD_MANAGER = 'drafty-bird-release';

export class ContextError extends Refused {}

/**
 * The named context of the user's kubeconfig (KUBECONFIG or ~/.kube/config). Refuses a name the
 * kubeconfig does not have, and never falls back to the current context: a release meant for kind
 * must not land on whatever cluster the shell last pointed at.
 */
export function connect(context: string, kubeconfig?: KubeConfig): Cluster {
  const kc = kubeconfig ?? new KubeConfig();
  if (!kubeconfig) {
    try {
      kc.loadFromDefault();
    } catch (error) {
      throw new ContextError(`cannot read your kubeconfig (${process.env.KUBECONFIG ?? '~/.kube/config'}): ${(error as Error).message}`);
    }
  }
  const known = kc.getContexts().map((c) => c.name);
  if (!known.includes(context)) {
    throw new ContextError(`context ${context} is not in your kubeconfig (it has: ${known.join(', ') || 'none'}); name the cluster to release to with --context`);
  }
  kc.setCurrentContext(context);
  return new Cluster(kc, context);
}

type Ref = { apiVersion: string; kind: string; namespace: string; name: string };

/** Server-managed fields: re-applying a snapshot must not claim them. */
const SERVER_METADATA = ['uid', 'resourceVersion', 'generation', 'creationTimestamp', 'managedFields', 'selfLink', 'ownerReferences', 'deletionTimestamp', 'deletionGracePeriodSeconds'];

export class Cluster {
  private readonly objects: KubernetesObjectApi;
  readonly context: string;

  constructor(kc: KubeConfig, context: string) {
    this.objects = KubernetesObjectApi.makeApiClient(kc);
    this.context = context;
  }

  /** Server-side apply, in the order given (synthesize() orders like Helm), taking over fields kubectl applied before. */
  async apply(manifests: readonly KubernetesObject[]): Promise<void> {
    for (const manifest of manifests) {
      await this.objects.patch(manifest, undefined, undefined, FIELD_MANAGER, true, PatchStrategy.ServerSideApply);
    }
  }

  async read<T extends KubernetesObject>({ apiVersion, kind, namespace, name }: Ref): Promise<T | undefined> {
    try {
      return (await this.objects.read({ apiVersion, kind, metadata: { name, namespace } })) as T;
    } catch (error) {
      if (error instanceof ApiException && error.code === 404) return undefined;
      throw error;
    }
  }

  async list<T extends KubernetesObject>(apiVersion: string, kind: string, namespace: string, labelSelector: string): Promise<T[]> {
    const list = await this.objects.list<T>(apiVersion, kind, namespace, undefined, undefined, undefined, undefined, labelSelector);
    return list.items;
  }

  async deletePod(namespace: string, name: string): Promise<void> {
    try {
      await this.objects.delete({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace } });
    } catch (error) {
      if (!(error instanceof ApiException && error.code === 404)) throw error;
    }
  }

  /**
   * The live versions of the objects about to be applied, as they can be re-applied: what the release
   * restores on failure, exactly as it ran (whoever deployed it, with or without a history).
   */
  async snapshot(manifests: readonly KubernetesObject[]): Promise<KubernetesObject[]> {
    const live: KubernetesObject[] = [];
    for (const m of manifests) {
      const found = await this.read({ apiVersion: m.apiVersion!, kind: m.kind!, namespace: m.metadata?.namespace ?? '', name: m.metadata!.name! });
      if (found) live.push(reapplicable(found));
    }
    return live;
  }

  async history(namespace: string): Promise<ReleaseRecord[]> {
    const secrets = await this.list<KubernetesObject & { data?: Record<string, string> }>('v1', 'Secret', namespace, HISTORY_SELECTOR);
    return secrets.map(fromSecret);
  }

  async record(record: ReleaseRecord, namespace: string): Promise<void> {
    await this.apply([toSecret(record, namespace) as KubernetesObject]);
  }
}

function reapplicable(object: KubernetesObject): KubernetesObject {
  const copy = structuredClone(object) as KubernetesObject & { status?: unknown; metadata: Record<string, unknown> };
  delete copy.status;
  for (const field of SERVER_METADATA) delete copy.metadata[field];
  const annotations = copy.metadata.annotations as Record<string, string> | undefined;
  if (annotations) delete annotations['kubectl.kubernetes.io/last-applied-configuration'];
  return copy;
}

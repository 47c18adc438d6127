import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { KubernetesObject, V1Pod, V1StatefulSet } from '@kubernetes/client-node';
import { exampleValues } from '../charts/testing/example-values.ts';
import { synthesize, toYaml } from '../charts/synth.ts';
import { RELEASE_GATES } from '../charts/observability/release-gates.ts';
import { fromSecret, type ReleaseRecord, toSecret } from './history.ts';
import { release, type ReleaseCluster, type ReleaseRequest } from './release.ts';

/**
 * The release's orchestration against a cluster that behaves like a StatefulSet controller would
 * (one pod, replaced when its revision is outdated — unless it never became Ready, the case Kubernetes
 * calls a forced rollback) and a Prometheus that answers the gates' queries per revision. The real API
 * server and Prometheus are the kind workflow's and the release-gates e2e's; this proves the wiring:
 * what is applied, restored, deleted and recorded, in which case.
 */
type Behaviour = 'good' | 'errors' | 'crash' | 'pull';
const behaviourOf = (image: string): Behaviour => (/-(errors|crash|pull)$/.exec(image)?.[1] as Behaviour | undefined) ?? 'good';

class FakeCluster implements ReleaseCluster {
  readonly context = 'kind-drafty-bird';
  readonly objects = new Map<string, KubernetesObject>();
  readonly deleted: string[] = [];
  readonly applied: string[] = [];
  private pod?: { revision: string; image: string };

  async apply(manifests: readonly KubernetesObject[]): Promise<void> {
    for (const m of manifests) {
      const key = `${m.kind}/${m.metadata?.name}`;
      const copy = structuredClone(m) as KubernetesObject & Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
      if (m.kind === 'StatefulSet') {
        if (String(copy.spec.template.spec.containers[0].image).endsWith('-reject')) throw new Error('StatefulSet.apps "drafty-bird" is invalid: spec: Forbidden');
        const before = this.objects.get(key) as (V1StatefulSet & Record<string, any>) | undefined; // eslint-disable-line @typescript-eslint/no-explicit-any
        const template = JSON.stringify(copy.spec.template);
        const changed = !before || JSON.stringify(before.spec?.template) !== template;
        const generation = (before?.metadata?.generation ?? 0) + (changed ? 1 : 0);
        copy.metadata = { ...copy.metadata, generation };
        copy.status = { replicas: 1, observedGeneration: generation, updateRevision: `drafty-bird-${createHash('sha256').update(template).digest('hex').slice(0, 8)}` };
        this.applied.push(copy.spec.template.spec.containers[0].image);
      }
      this.objects.set(key, copy);
    }
  }

  async read<T extends KubernetesObject>(ref: { kind: string; name: string }): Promise<T | undefined> {
    return this.objects.get(`${ref.kind}/${ref.name}`) as T | undefined;
  }

  /** The pod, as the StatefulSet controller leaves it after one sync. */
  async list<T extends KubernetesObject>(_apiVersion: string, kind: string): Promise<T[]> {
    if (kind !== 'Pod') return [];
    const sts = this.objects.get('StatefulSet/drafty-bird') as V1StatefulSet | undefined;
    if (!sts) return [];
    const revision = sts.status!.updateRevision!;
    const image = sts.spec!.template.spec!.containers[0]!.image!;
    if (!this.pod || (this.pod.revision !== revision && behaviourOf(this.pod.image) !== 'crash' && behaviourOf(this.pod.image) !== 'pull')) this.pod = { revision, image };
    return [podOf(this.pod.revision, this.pod.image) as T];
  }

  async deletePod(_namespace: string, name: string): Promise<void> {
    this.deleted.push(name);
    this.pod = undefined;
  }

  async snapshot(manifests: readonly KubernetesObject[]): Promise<KubernetesObject[]> {
    return manifests.flatMap((m) => {
      const live = this.objects.get(`${m.kind}/${m.metadata?.name}`);
      return live ? [structuredClone(live)] : [];
    });
  }

  async history(): Promise<ReleaseRecord[]> {
    return [...this.objects.values()].filter((o) => o.kind === 'Secret' && o.metadata?.name?.startsWith('drafty-bird-release.v')).map((o) => fromSecret(o as never));
  }

  async record(record: ReleaseRecord, namespace: string): Promise<void> {
    await this.apply([toSecret(record, namespace) as KubernetesObject]);
  }

  runningImage(): string {
    return (this.objects.get('StatefulSet/drafty-bird') as V1StatefulSet).spec!.template.spec!.containers[0]!.image!;
  }
}

function podOf(revision: string, image: string): V1Pod {
  const behaviour = behaviourOf(image);
  const waiting = behaviour === 'crash' ? { reason: 'CrashLoopBackOff' } : behaviour === 'pull' ? { reason: 'ImagePullBackOff', message: `Back-off pulling image "${image}"` } : undefined;
  return {
    metadata: { name: 'drafty-bird-0', labels: { 'controller-revision-hash': revision } },
    status: {
      conditions: [{ type: 'Ready', status: waiting ? 'False' : 'True' }],
      containerStatuses: [{ name: 'app', image, imageID: '', ready: !waiting, restartCount: behaviour === 'crash' ? 3 : 0, ...(waiting ? { state: { waiting } } : {}) }],
    },
  };
}

describe('a release against a StatefulSet-like cluster and a Prometheus answering per revision', () => {
  let prometheus: Server;
  let prometheusUrl: string;
  /** revision → image, so the stub Prometheus answers as that image's pod would have been measured. */
  const imageOfRevision = new Map<string, string>();

  beforeAll(async () => {
    prometheus = createServer((req, res) => {
      const query = new URL(req.url ?? '/', 'http://x').searchParams.get('query') ?? '';
      const revision = /revision="([^"]+)"/.exec(query)?.[1] ?? '';
      const errors = behaviourOf(imageOfRevision.get(revision) ?? '') === 'errors';
      const gate = RELEASE_GATES.find((g) => g.query(revision, '1m') === query);
      const value = gate?.name === 'success-rate' ? (errors ? 0.7 : 1) : 0.02;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ status: 'success', data: { resultType: 'vector', result: [{ metric: {}, value: [0, String(value)] }] } }));
    });
    await new Promise<void>((resolve) => prometheus.listen(0, '127.0.0.1', resolve));
    prometheusUrl = `http://127.0.0.1:${(prometheus.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => prometheus.close(() => resolve())));

  const request = (cluster: FakeCluster, tag: string): ReleaseRequest => {
    const manifests = synthesize(exampleValues('local', [`image.tag=${tag}`])) as KubernetesObject[];
    const image = `ghcr.io/drafty-bird/drafty-bird:${tag}`;
    return {
      cluster,
      namespace: 'drafty-bird',
      manifests,
      yaml: toYaml(manifests as never),
      image,
      description: 'upgrade',
      policy: { readyDeadlineMs: 2_000, bakeMs: 150, failureLimit: 0, rollbackDeadlineMs: 2_000, gates: RELEASE_GATES.map((g) => g.name) },
      gates: { prometheusUrl, intervalMs: 50, window: '1m' },
      rolloutDeadlineMs: 10_000,
      pollMs: 20,
      log: () => undefined,
    };
  };
  /** Releases `tag`, teaching the stub Prometheus which revision runs which image. */
  const releaseTag = async (cluster: FakeCluster, tag: string) => {
    const req = request(cluster, tag);
    const originalApply = cluster.apply.bind(cluster);
    cluster.apply = async (manifests) => {
      await originalApply(manifests);
      const sts = cluster.objects.get('StatefulSet/drafty-bird') as V1StatefulSet | undefined;
      if (sts) imageOfRevision.set(sts.status!.updateRevision!, cluster.runningImage());
    };
    return release(req);
  };
  const statuses = async (cluster: FakeCluster) => (await cluster.history()).sort((a, b) => a.revision - b.revision).map((r) => `${r.revision} ${r.status} ${r.image.split(':')[1]}`);

  it('keeps a good release and records the one it replaced as superseded', async () => {
    const cluster = new FakeCluster();
    expect((await releaseTag(cluster, '1.0.0')).kept).toBe(true);
    expect((await releaseTag(cluster, '1.1.0')).kept).toBe(true);
    expect(cluster.runningImage()).toBe('ghcr.io/drafty-bird/drafty-bird:1.1.0');
    expect(await statuses(cluster)).toEqual(['1 superseded 1.0.0', '2 deployed 1.1.0']);
  });

  it('restores the previous revision when a gate fails during the bake, and says why', async () => {
    const cluster = new FakeCluster();
    await releaseTag(cluster, '1.0.0');
    const result = await releaseTag(cluster, '1.1.0-errors');
    expect(result.kept).toBe(false);
    expect(result.lines.join('\n')).toMatch(/failed: gate success-rate failed 1 time\(s\)[\s\S]*the previous revision is ready again/);
    expect(cluster.runningImage()).toBe('ghcr.io/drafty-bird/drafty-bird:1.0.0');
    expect(await statuses(cluster)).toEqual(['1 deployed 1.0.0', '2 failed 1.1.0-errors']);
    expect((await cluster.history()).find((r) => r.revision === 2)?.description).toBe('gate success-rate failed 1 time(s)');
  });

  it('restores a crash-looping release and deletes the pod the StatefulSet would leave stuck', async () => {
    const cluster = new FakeCluster();
    await releaseTag(cluster, '1.0.0');
    const result = await releaseTag(cluster, '1.1.0-crash');
    expect(result.kept).toBe(false);
    expect(result.lines.join('\n')).toMatch(/restarted 3 time\(s\) before it was ready/);
    expect(cluster.deleted).toEqual(['drafty-bird-0']);
    expect(cluster.runningImage()).toBe('ghcr.io/drafty-bird/drafty-bird:1.0.0');
    expect(cluster.applied).toEqual(['ghcr.io/drafty-bird/drafty-bird:1.0.0', 'ghcr.io/drafty-bird/drafty-bird:1.1.0-crash', 'ghcr.io/drafty-bird/drafty-bird:1.0.0']);
  });

  it('an apply the API refuses is recorded as failed and what ran is put back', async () => {
    const cluster = new FakeCluster();
    await releaseTag(cluster, '1.0.0');
    await expect(releaseTag(cluster, '1.1.0-reject')).rejects.toThrow(/is invalid/);
    expect(await statuses(cluster)).toEqual(['1 deployed 1.0.0', '2 failed 1.1.0-reject']);
    expect((await cluster.history()).find((r) => r.revision === 2)?.description).toBe('interrupted: StatefulSet.apps "drafty-bird" is invalid: spec: Forbidden');
    expect(cluster.runningImage()).toBe('ghcr.io/drafty-bird/drafty-bird:1.0.0');
  });

  it('rolls back an image that cannot be pulled at once, and a failed first install says there was nothing to restore', async () => {
    const cluster = new FakeCluster();
    await releaseTag(cluster, '1.0.0');
    expect((await releaseTag(cluster, '1.1.0-pull')).lines.join('\n')).toMatch(/cannot start: ImagePullBackOff[\s\S]*the previous revision is ready again/);
    expect(cluster.runningImage()).toBe('ghcr.io/drafty-bird/drafty-bird:1.0.0');

    const fresh = new FakeCluster();
    const first = await releaseTag(fresh, '1.0.0-errors');
    expect(first.kept).toBe(false);
    expect(first.lines.at(-1)).toBe('nothing ran before this release: nothing to restore');
    expect(await statuses(fresh)).toEqual(['1 failed 1.0.0-errors']);
  });
});

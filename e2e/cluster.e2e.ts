import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import * as k8s from '@kubernetes/client-node';
import { waitFor } from '../test/support/wait.ts';
import { PROMETHEUS_NAME } from '../charts/constructs/observability.ts';
import { selectorLabels } from '../charts/labels.ts';
import { postPlayedScore } from './support/play.ts';
import { PrometheusApi } from './support/prometheus.ts';

const NAMESPACE = 'drafty-bird';
const kubeconfigPath = process.env.KUBECONFIG ?? join(homedir(), '.kube', 'config');
const hasCluster = existsSync(kubeconfigPath) && Boolean(process.env.BASE_URL);

/** Cluster-only scenarios: run where a kubeconfig (and BASE_URL) point at the kind deployment. */
function clusterIt(name: string, fn: () => Promise<void>, timeout = 240_000): void {
  if (hasCluster) it(name, fn, timeout);
  else it.skip(`${name} [skipped: needs a cluster (kubeconfig and BASE_URL)]`, fn);
}

describe('in a real cluster', () => {
  let core: k8s.CoreV1Api;
  let apps: k8s.AppsV1Api;
  let networking: k8s.NetworkingV1Api;
  const baseUrl = () => (process.env.BASE_URL ?? '').replace(/\/$/, '');
  // A point, so the marker ranks above the suite's zero-point runs in the top 100.
  const score = (player: string) => postPlayedScore(baseUrl(), { player, score: 1 });
  const players = async () =>
    ((await (await fetch(`${baseUrl()}/leaderboard?limit=100`)).json()) as { leaderboard: Array<{ player: string }> }).leaderboard.map((e) => e.player);
  const appReady = async () => {
    const sts = await apps.readNamespacedStatefulSet({ name: 'drafty-bird', namespace: NAMESPACE });
    return sts.status?.readyReplicas === 1 && sts.status?.updatedReplicas === 1;
  };
  /** Readiness through ADMIN_URL, the port-forward that dies with the pod and is re-attached. */
  const adminUrl = () => (process.env.ADMIN_URL || process.env.BASE_URL || '').replace(/\/$/, '');
  const serviceAnswers = () => fetch(`${adminUrl()}/readyz`).then((r) => r.ok, () => false);

  beforeAll(() => {
    if (!hasCluster) return;
    const config = new k8s.KubeConfig();
    config.loadFromFile(kubeconfigPath);
    // The kind cluster's context, named by scripts/e2e-kind.sh: never whatever context is current.
    if (process.env.KUBE_CONTEXT) config.setCurrentContext(process.env.KUBE_CONTEXT);
    core = config.makeApiClient(k8s.CoreV1Api);
    apps = config.makeApiClient(k8s.AppsV1Api);
    networking = config.makeApiClient(k8s.NetworkingV1Api);
  });

  clusterIt('a deleted app pod is recreated on the same volume with every score', async () => {
    const marker = `pod-delete-${Date.now()}`;
    expect((await score(marker)).status).toBe(201);
    await core.deleteNamespacedPod({ name: 'drafty-bird-0', namespace: NAMESPACE });
    await waitFor('the StatefulSet to be ready again', appReady, 180_000);
    await waitFor('the service to answer again', serviceAnswers, 60_000);
    expect(await players()).toContain(marker);
  });

  clusterIt('a rollout of the StatefulSet reaches a new revision and keeps the data', async () => {
    const marker = `rollout-${Date.now()}`;
    expect((await score(marker)).status).toBe(201);
    const before = (await apps.readNamespacedStatefulSet({ name: 'drafty-bird', namespace: NAMESPACE })).status?.currentRevision;
    await apps.patchNamespacedStatefulSet(
      { name: 'drafty-bird', namespace: NAMESPACE, body: { spec: { template: { metadata: { annotations: { 'e2e/restartedAt': new Date().toISOString() } } } } } },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
    );
    let status: k8s.V1StatefulSetStatus | undefined;
    await waitFor('the new revision to be current and ready', async () => {
      status = (await apps.readNamespacedStatefulSet({ name: 'drafty-bird', namespace: NAMESPACE })).status;
      return Boolean(status?.updateRevision) && status?.updateRevision !== before && status?.currentRevision === status?.updateRevision && (await appReady());
    }, 180_000);
    const pod = await core.readNamespacedPod({ name: 'drafty-bird-0', namespace: NAMESPACE });
    expect(pod.metadata?.labels?.['controller-revision-hash']).toBe(status?.updateRevision);
    await waitFor('the service to answer again', serviceAnswers, 60_000);
    expect(await players()).toContain(marker);
  });

  clusterIt('Prometheus has the app target up and the rules loaded', async () => {
    const prometheus = new PrometheusApi((process.env.PROMETHEUS_URL ?? '').replace(/\/$/, ''));
    await waitFor('the target', async () => (await prometheus.appTargetsUp()) === 1, 120_000);
    expect(await prometheus.ruleNames()).toEqual(expect.arrayContaining(['DraftyBirdHighErrorRate', 'DraftyBirdHighLatencyP99', 'DraftyBirdDown']));
  });

  const restrictedContainer = {
    allowPrivilegeEscalation: false,
    runAsNonRoot: true,
    runAsUser: 10_002,
    capabilities: { drop: ['ALL'] },
    seccompProfile: { type: 'RuntimeDefault' },
  };

  /** A short-lived pod that exits 0 only if the app's main port answered it. */
  const probeApp = async (name: string, labels: Record<string, string>): Promise<'Succeeded' | 'Failed'> => {
    await core.createNamespacedPod({
      namespace: NAMESPACE,
      body: {
        metadata: { name, labels },
        spec: {
          restartPolicy: 'Never',
          automountServiceAccountToken: false,
          containers: [
            {
              name: 'probe',
              image: 'busybox:1.36.1',
              command: ['sh', '-c', 'wget -q -T 5 -O- http://drafty-bird.drafty-bird.svc.cluster.local:8080/healthz && exit 0 || exit 7'],
              securityContext: restrictedContainer,
              resources: { requests: { cpu: '10m', memory: '16Mi' }, limits: { cpu: '100m', memory: '32Mi' } },
            },
          ],
        },
      },
    });
    try {
      let phase: string | undefined;
      await waitFor(`the probe pod ${name} to finish`, async () => {
        phase = (await core.readNamespacedPod({ name, namespace: NAMESPACE })).status?.phase;
        return phase === 'Succeeded' || phase === 'Failed';
      }, 120_000);
      return phase as 'Succeeded' | 'Failed';
    } finally {
      await core.deleteNamespacedPod({ name, namespace: NAMESPACE }).catch(() => undefined);
    }
  };

  clusterIt('the app refuses a pod that may send anywhere but lacks the allowed labels (NetworkPolicy ingress)', async () => {
    // Default deny also blocks the intruder's own egress: open it, so only the app's ingress can refuse.
    const egress = `e2e-intruder-egress-${Date.now()}`;
    await networking.createNamespacedNetworkPolicy({
      namespace: NAMESPACE,
      body: {
        metadata: { name: egress },
        spec: { podSelector: { matchLabels: { 'e2e/role': 'intruder' } }, policyTypes: ['Egress'], egress: [{}] },
      },
    });
    try {
      const stamp = Date.now();
      expect(await probeApp(`np-intruder-${stamp}`, { 'app.kubernetes.io/name': 'intruder', 'e2e/role': 'intruder' })).toBe('Failed');
      // Control: the same probe, from the identity the policy admits (the in-namespace Prometheus),
      // answers — so the refusal above is the app's ingress rule, not a broken probe.
      expect(await probeApp(`np-scraper-${stamp}`, { ...selectorLabels(PROMETHEUS_NAME), 'e2e/role': 'intruder' })).toBe('Succeeded');
    } finally {
      await networking.deleteNamespacedNetworkPolicy({ name: egress, namespace: NAMESPACE }).catch(() => undefined);
    }
  });

  clusterIt('the namespace rejects a privileged pod (Pod Security Admission "restricted")', async () => {
    await expect(
      core.createNamespacedPod({
        namespace: NAMESPACE,
        body: {
          metadata: { name: `privileged-${Date.now()}` },
          spec: { containers: [{ name: 'evil', image: 'busybox:1.36.1', securityContext: { privileged: true } }] },
        },
      }),
    ).rejects.toMatchObject({ code: 403 });
  });
});

import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import * as k8s from '@kubernetes/client-node';
import { Agent } from 'undici';
import { REVISION_POD_LABEL } from '../charts/constructs/app-rollout.ts';
import { labelSelector, selectorLabels } from '../charts/labels.ts';
import { waitFor } from '../test/support/wait.ts';
import { fetchVia, postPlayedScore } from './support/play.ts';

/**
 * Releases in a real cluster, through the command users run (`npm run release`), with players on the
 * public port throughout. scripts/e2e-kind.sh runs this file once per profile: `local` (the guarded
 * single-writer release) and `local-ha` (Argo Rollouts' canary with the release gates).
 */
const NAMESPACE = 'drafty-bird';
const PROFILE = process.env.PROFILE ?? 'local';
const kubeconfigPath = process.env.KUBECONFIG ?? join(homedir(), '.kube', 'config');
const hasCluster = existsSync(kubeconfigPath) && Boolean(process.env.BASE_URL) && Boolean(process.env.KUBE_CONTEXT);
const baseUrl = () => (process.env.BASE_URL ?? '').replace(/\/$/, '');

function releaseIt(profile: 'local' | 'local-ha', name: string, fn: () => Promise<void>): void {
  if (!hasCluster) it.skip(`${name} [skipped: needs the kind cluster of scripts/e2e-kind.sh (kubeconfig, BASE_URL, KUBE_CONTEXT)]`, fn);
  else if (PROFILE === profile) it(name, fn, 900_000);
  else it.skip(`${name} [skipped: the ${profile} profile's scenario; this cluster runs ${PROFILE}]`, fn);
}

/** `npm run release -- …` as a user types it, against the suite's cluster and Prometheus. */
async function runRelease(args: string[]): Promise<{ code: number; output: string }> {
  const child = spawn('npm', ['run', '--silent', 'release', '--', ...args, '--context', process.env.KUBE_CONTEXT as string], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
    process.stdout.write(chunk);
  });
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number>((resolve) => child.on('exit', (status) => resolve(status ?? 1)));
  return { code, output };
}

/** Timings shortened for the suite (e2e/release-values.yaml); the gates are the chart's. */
const valuesArgs = (image: string) => {
  const [repository, tag] = image.split(/:(?=[^:]+$)/);
  return ['--env', PROFILE, '-f', 'e2e/values.yaml', '-f', 'e2e/release-values.yaml', '--set', `image.repository=${repository}`, '--set', `image.tag=${tag}`];
};
const CHAOS_ERRORS = ['--set', 'chaos.enabled=true', '--set', 'chaos.errorRate=1', '--set', 'chaos.routes={/leaderboard}'];

/**
 * Players on the public port for as long as a release runs: the traffic its gates measure. Keep-alive,
 * but each connection is replaced after a few requests, as players come and go: kube-proxy balances
 * connections, not requests, so connections held for the whole run would never reach a new pod.
 */
function playWhile(): { stop: () => Promise<{ ok: number; failed: number }> } {
  const agent = new Agent({ keepAliveTimeout: 10_000, maxRequestsPerClient: 20 });
  const fetch = fetchVia(agent);
  const counts = { ok: 0, failed: 0 };
  let playing = true;
  const loop = async () => {
    while (playing) {
      const ok = await fetch(`${baseUrl()}/leaderboard`).then(async (res) => (await res.arrayBuffer(), res.ok), () => false);
      counts[ok ? 'ok' : 'failed']++;
      await sleep(50);
    }
  };
  const loops = Promise.all([loop(), loop(), loop()]);
  return {
    stop: async () => {
      playing = false;
      await loops;
      await agent.close();
      return counts;
    },
  };
}

describe('releases in the cluster', () => {
  let core: k8s.CoreV1Api;
  let objects: k8s.KubernetesObjectApi;
  let image = '';

  beforeAll(async () => {
    if (!hasCluster) return;
    const config = new k8s.KubeConfig();
    config.loadFromFile(kubeconfigPath);
    config.setCurrentContext(process.env.KUBE_CONTEXT as string);
    core = config.makeApiClient(k8s.CoreV1Api);
    objects = k8s.KubernetesObjectApi.makeApiClient(config);
    image = (await workload()).spec.template.spec.containers[0]!.image;
  });

  const workload = async () =>
    (await objects.read({ apiVersion: PROFILE === 'local' ? 'apps/v1' : 'argoproj.io/v1alpha1', kind: PROFILE === 'local' ? 'StatefulSet' : 'Rollout', metadata: { name: 'drafty-bird', namespace: NAMESPACE } })) as k8s.KubernetesObject & {
      spec: { template: { spec: { containers: Array<{ image: string; env?: Array<{ name: string; value?: string }> }> }; metadata: { annotations: Record<string, string> } } };
      status: Record<string, unknown>;
    };
  const appPods = async () => (await core.listNamespacedPod({ namespace: NAMESPACE, labelSelector: labelSelector(selectorLabels('drafty-bird')) })).items.filter((p) => !p.metadata?.deletionTimestamp);
  const leaderboardPlayers = async () => ((await (await fetch(`${baseUrl()}/leaderboard?limit=100`)).json()) as { leaderboard: Array<{ player: string }> }).leaderboard.map((e) => e.player);
  const allAnswer = async (count: number) => {
    for (let i = 0; i < count; i++) if ((await fetch(`${baseUrl()}/leaderboard`)).status !== 200) return false;
    return true;
  };

  releaseIt('local', 'single writer: a release whose pod turns chaos errors on fails its gate, is restored, and every acknowledged score is still there', async () => {
    const marker = `release-bad-${Date.now()}`;
    expect((await postPlayedScore(baseUrl(), { player: marker, score: 1 })).status).toBe(201);
    const before = (await workload()).spec.template;
    const players = playWhile();
    const { code, output } = await runRelease([...valuesArgs(image), ...CHAOS_ERRORS, '--bake', '1m', '--prometheus', process.env.PROMETHEUS_URL as string]);
    await players.stop();
    expect(code).toBe(1);
    expect(output).toMatch(/failed: gate success-rate failed/);
    expect(output).toMatch(/the previous revision is ready again/);
    expect((await workload()).spec.template.metadata.annotations).toEqual(before.metadata.annotations);
    await waitFor('the restored pod to answer players', () => allAnswer(20), 120_000, 1_000);
    expect(await leaderboardPlayers()).toContain(marker);
    expect((await runRelease(['history', '--env', PROFILE])).output).toMatch(/\bfailed\b.*gate success-rate failed/);
  });

  releaseIt('local', 'single writer: a good release is kept and recorded; `release rollback` brings the one before back', async () => {
    const marker = `release-good-${Date.now()}`;
    expect((await postPlayedScore(baseUrl(), { player: marker, score: 1 })).status).toBe(201);
    const logLevel = async () => (await workload()).spec.template.spec.containers[0]!.env?.find((e) => e.name === 'LOG_LEVEL')?.value;
    // Ends where it began (info): the rest of the suite runs on this deployment.
    for (const level of ['info', 'debug']) {
      const players = playWhile();
      const { code } = await runRelease([...valuesArgs(image), '--set', `app.logLevel=${level}`, '--bake', '40s', '--prometheus', process.env.PROMETHEUS_URL as string]);
      await players.stop();
      expect(code).toBe(0);
      expect(await logLevel()).toBe(level);
    }
    const players = playWhile();
    const rollback = await runRelease(['rollback', '--env', PROFILE, '--bake', '40s', '--prometheus', process.env.PROMETHEUS_URL as string]);
    await players.stop();
    expect(rollback.code).toBe(0);
    expect(await logLevel()).toBe('info');
    expect((await runRelease(['history', '--env', PROFILE])).output).toMatch(/deployed .*rollback to \d+/);
    expect(await leaderboardPlayers()).toContain(marker);
  });

  releaseIt('local-ha', 'scale-out: Argo Rollouts promotes a good release through its canary steps and gates', async () => {
    const players = playWhile();
    const { code, output } = await runRelease([...valuesArgs(image), '--set', 'app.logLevel=debug']);
    await players.stop();
    expect(code).toBe(0);
    expect(output).toMatch(/promoted: revision \S+ is stable and healthy/);
    const status = (await workload()).status as { stableRS: string; currentPodHash: string };
    expect(status.stableRS).toBe(status.currentPodHash);
  });

  releaseIt('local-ha', 'scale-out: a release with chaos errors fails its analysis, the rollout aborts, and traffic returns to the stable pods', async () => {
    const stable = ((await workload()).status as { stableRS: string }).stableRS;
    const players = playWhile();
    const { code, output } = await runRelease([...valuesArgs(image), ...CHAOS_ERRORS]);
    const counts = await players.stop();
    expect(code).toBe(1);
    expect(output).toMatch(/failed: .*(success-rate|Aborted|aborted)/);
    // Players did reach the canary (the gate measured them): some answers were its injected errors.
    expect(counts.failed).toBeGreaterThan(0);
    await waitFor('only stable pods serving', async () => (await appPods()).every((p) => p.metadata?.labels?.[REVISION_POD_LABEL] === stable), 180_000, 2_000);
    expect(((await workload()).status as { stableRS: string }).stableRS).toBe(stable);
    expect(await allAnswer(50)).toBe(true);
  });
});

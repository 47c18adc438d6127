/**
 * The faults scenarios use: chaos through the admin API (time-boxed on the service itself, so a game
 * day that dies mid-way still ends), and, in a cluster, killing the single writer's pod or releasing a
 * bad build through `npm run release`.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import type { ChaosChange } from '../src/chaos/chaos.settings.ts';
import { ADMIN_ROUTES } from '../src/surface.ts';
import type { Fault, FaultContext } from './scenario.ts';

/** Chaos stays on this much longer than planned on the service's own clock, then ends by itself. */
const EXPIRY_MARGIN_MS = 60_000;

type ChaosSettingsInput = Omit<Partial<ChaosChange>, 'durationSeconds' | 'expiresAt' | 'enabled'>;

async function chaosRequest(context: FaultContext, method: 'PUT' | 'DELETE', body?: object): Promise<void> {
  if (!context.adminToken) throw new Error('CHAOS_ADMIN_TOKEN is not set: export the token the service was started with (npm run observe prints it)');
  const res = await fetch(new URL(ADMIN_ROUTES.chaos, context.adminUrl), {
    method,
    headers: { authorization: `Bearer ${context.adminToken}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  if (!res.ok) throw new Error(`${method} /chaos answered ${res.status}: ${await res.text()}`);
}

function chaosTypeOf(settings: ChaosSettingsInput): Fault['chaosType'] {
  if ((settings.storageFailureRate ?? 0) > 0 || (settings.storageLatencyMs ?? 0) > 0) return 'storage';
  if ((settings.errorRate ?? 0) > 0) return 'error';
  return 'latency';
}

/** Chaos on: PUT /chaos with these settings, time-boxed; stopped with the kill switch (DELETE /chaos). */
export function chaosFault(description: string, settings: ChaosSettingsInput): Fault {
  return {
    description,
    chaosType: chaosTypeOf(settings),
    chaosSettings: { ...settings, enabled: true },
    needs: 'service',
    inject: (context) => {
      const durationSeconds = Math.ceil((context.durationMs + EXPIRY_MARGIN_MS) / 1000);
      context.log(`PUT /chaos ${JSON.stringify(settings)} for at most ${durationSeconds} s`);
      return chaosRequest(context, 'PUT', { ...settings, enabled: true, durationSeconds });
    },
    stop: (context) => {
      context.log('DELETE /chaos (kill switch)');
      return chaosRequest(context, 'DELETE');
    },
  };
}

function coreApi(context: FaultContext): CoreV1Api {
  if (!context.kubeContext) throw new Error('this fault needs a cluster: pass --context (e.g. kind-drafty-bird)');
  const config = new KubeConfig();
  config.loadFromDefault();
  config.setCurrentContext(context.kubeContext);
  return config.makeApiClient(CoreV1Api);
}

/** Deletes a pod (the single writer's by default): Kubernetes starts it again; players see the gap. */
export function podKill(pod = 'drafty-bird-0'): Fault {
  return {
    description: `delete pod ${pod} (the StatefulSet starts it again)`,
    needs: 'cluster',
    inject: async (context) => {
      context.log(`deleting pod ${context.namespace}/${pod}`);
      await coreApi(context).deleteNamespacedPod({ name: pod, namespace: context.namespace, gracePeriodSeconds: 0 });
    },
    stop: async () => undefined,
  };
}

/**
 * A release whose pods inject errors (`--set chaos.*`): `npm run release` must see the gates fail and
 * roll back by itself. Injecting starts the release; stopping waits for its verdict (exit 1 expected).
 */
export function badRelease(sets: string[]): Fault {
  let release: Promise<number> | undefined;
  return {
    description: `npm run release -- --env local ${sets.map((s) => `--set ${s}`).join(' ')} (must roll itself back)`,
    chaosType: 'error',
    needs: 'cluster',
    inject: async (context) => {
      if (!context.kubeContext) throw new Error('this fault needs a cluster: pass --context (e.g. kind-drafty-bird)');
      const args = [
        '--experimental-strip-types', join(import.meta.dirname, '..', 'release', 'main.ts'),
        '--env', 'local', '--context', context.kubeContext, '--prometheus', context.prometheusUrl,
        ...context.valuesFiles.flatMap((file) => ['-f', file]),
        ...sets.flatMap((s) => ['--set', s]),
      ];
      context.log(`npm run release -- ${args.slice(2).join(' ')}`);
      const proc = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
      for (const stream of [proc.stdout, proc.stderr]) stream.on('data', (chunk: Buffer) => chunk.toString().split('\n').filter(Boolean).forEach((line) => context.log(`release: ${line}`)));
      release = once(proc, 'exit').then(([code]) => Number(code));
    },
    stop: async (context) => {
      const code = await release;
      context.log(code === 1 ? 'the release failed its gates and was rolled back, as expected' : `the release exited ${code}: expected 1 (rolled back)`);
      if (code !== 1) throw new Error(`the bad release was not rolled back (npm run release exited ${code})`);
    },
  };
}

import { COMMITTED_ENVIRONMENTS, ENVIRONMENTS, type Environment } from '../charts/values.ts';
import { synthesize } from '../charts/synth.ts';
import { exampleValues } from '../charts/testing/example-values.ts';
import { JAEGER_NAME, PROMETHEUS_NAME } from '../charts/constructs/observability.ts';
import { APP_NAME } from '../charts/constructs/app-workload.ts';
import { POSTGRES_NAME } from '../charts/constructs/in-cluster-postgres.ts';
import type { Manifest } from '../charts/synth.ts';
import { describeLocal, startFromManifests } from './support/deployment.ts';
import { committedManifests, type Container, podTemplate } from './support/manifest.ts';
import { ManifestPrometheus } from './support/prometheus.ts';
import { ManifestAlertmanager } from './support/alertmanager.ts';
import { ALERTMANAGER_NAME } from '../charts/constructs/alertmanager.ts';
import { GRAFANA_NAME } from '../charts/constructs/grafana.ts';
import { PLAYERS_NAME } from '../charts/constructs/players.ts';
import { waitFor } from '../test/support/wait.ts';
import { startManifestPlayers } from './support/players.ts';

/**
 * Every container of every committed manifest starts here, from the manifest's own command, args,
 * environment and mounted files, at least to its ready state; what cannot run on this machine is
 * named, with the reason, in the test output. A flag Prometheus rejects or an environment variable the
 * service refuses fails here rather than in a crash-looping pod.
 */
const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'Rollout']);
const CANNOT_RUN_HERE: Record<string, string> = {
  [JAEGER_NAME]: 'the jaegertracing/jaeger image: no Debian package and no registry here; its OTLP port is stood in for by the suite\'s receiver',
  [GRAFANA_NAME]: "the grafana/grafana image: no Debian package and no registry here; its dashboards' queries run on Debian's Prometheus in observability.e2e.ts",
  [POSTGRES_NAME]:
    "the postgres image's entrypoint: no registry here; the suite runs Debian's PostgreSQL server (test/support/postgres.ts) in its place, with the app's role, database and password authentication",
};

function containersOf(manifests: readonly Manifest[]): Array<{ workload: Manifest; container: Container }> {
  return manifests
    .filter((m) => WORKLOAD_KINDS.has(m.kind))
    .flatMap((workload) => podTemplate(workload).spec.containers.map((container) => ({ workload, container })));
}


/** What `kubectl apply` receives: the committed k8s/local and k8s/local-ha, and the clouds rendered with the example site values. */
const manifestsFor = (env: Environment) => (COMMITTED_ENVIRONMENTS.includes(env) ? committedManifests(env) : synthesize(exampleValues(env)));

describeLocal().each(ENVIRONMENTS)('the containers of the %s manifests start as written [local processes; skipped against a cluster]', (env) => {
  const manifests = manifestsFor(env);
  const containers = containersOf(manifests);

  it('are all known to this test', () => {
    const names = containers.map(({ workload }) => workload.metadata.name);
    expect(names.every((name) => [APP_NAME, PROMETHEUS_NAME, ALERTMANAGER_NAME, PLAYERS_NAME, ...Object.keys(CANNOT_RUN_HERE)].includes(name))).toBe(true);
    for (const name of names.filter((n) => n in CANNOT_RUN_HERE)) {
      console.warn(`${env}: container ${name} NOT RUN HERE: ${CANNOT_RUN_HERE[name]}`);
    }
  });

  it('the app: its environment is accepted and it becomes ready on both ports', async () => {
    const d = await startFromManifests({}, manifests);
    try {
      expect((await fetch(`${d.adminUrl}/readyz`)).status).toBe(200);
      expect((await fetch(`${d.publicUrl}/`)).status).toBe(200);
    } finally {
      await d.stop();
    }
  }, 30_000);

  // Only the local profile runs Prometheus in the namespace; the clouds use their managed services.
  if (containers.some(({ workload }) => workload.metadata.name === PROMETHEUS_NAME)) it('Prometheus: Debian\'s prometheus accepts the container args and the ConfigMap and becomes ready', async () => {
    const prometheus = new ManifestPrometheus(manifests);
    try {
      const api = await prometheus.start('127.0.0.1:9');
      expect((await api.ruleNames()).length).toBeGreaterThan(0);
    } finally {
      await prometheus.stop();
    }
  }, 30_000);

  if (containers.some(({ workload }) => workload.metadata.name === ALERTMANAGER_NAME)) it("Alertmanager: Debian's alertmanager accepts the container args and the ConfigMap and becomes ready", async () => {
    const alertmanager = new ManifestAlertmanager(manifests);
    try {
      await alertmanager.start('http://127.0.0.1:9/alerts');
      const status = (await (await fetch(`${alertmanager.url}/api/v2/status`)).json()) as { config: { original: string } };
      expect(status.config.original).toContain('severity="page"');
    } finally {
      await alertmanager.stop();
    }
  }, 30_000);

  if (containers.some(({ workload }) => workload.metadata.name === PLAYERS_NAME)) it("the players: the container's own command and args play against the app (its Service address swapped for this machine's), serve their metrics and stop at once on SIGTERM", async () => {
    const d = await startFromManifests({}, manifests);
    const players = await startManifestPlayers(manifests, d.publicUrl);
    try {
      const metrics = () => fetch(`http://${players.metricsAddress}/metrics`).then((res) => res.text(), () => '');
      // The manifest's ramp is 30 s: the first players arrive within it.
      await waitFor('a game started by the players', async () => /drafty_bird_player_requests_total\{route="\/game-start",method="POST",status="202"\} [1-9]/.test(await metrics()), 60_000, 500);
      const server = await (await fetch(`${d.adminUrl}/metrics`)).text();
      expect(server).toMatch(/http_requests_total\{route="\/game-start",method="POST",status="202"\} [1-9]/);
      const stoppedAt = Date.now();
      const code = await players.stop();
      expect({ code, stoppedWithinMs: Date.now() - stoppedAt < 5000 }).toEqual({ code: 0, stoppedWithinMs: true });
    } finally {
      players.proc.kill('SIGKILL');
      await d.stop();
    }
  }, 90_000);
});

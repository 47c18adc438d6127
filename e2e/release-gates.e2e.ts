import { setTimeout as sleep } from 'node:timers/promises';
import { Agent, fetch as undiciFetch } from 'undici';
import { judge, RELEASE_GATES, REVISION_LABEL, type Verdict } from '../charts/observability/release-gates.ts';
import { type ServerProcess, startServer } from '../test/support/server-process.ts';
import { waitFor } from '../test/support/wait.ts';
import { describeLocal } from './support/deployment.ts';
import { e2eManifests } from './support/manifest.ts';
import { ManifestPrometheus, type PrometheusApi } from './support/prometheus.ts';

/** Four revisions of the production build, as a rollout would have them side by side. */
const REVISIONS: Record<string, NodeJS.ProcessEnv> = {
  stable: {},
  errors: { CHAOS_ENABLED: 'true', CHAOS_ERROR_RATE: '0.3', CHAOS_ROUTES: '/leaderboard' },
  slow: { CHAOS_ENABLED: 'true', CHAOS_LATENCY_MS_P50: '600', CHAOS_LATENCY_MS_P99: '900', CHAOS_ROUTES: '/leaderboard' },
  idle: {},
};
/** Wide enough for several of the e2e profile's 2 s scrapes. */
const WINDOW = '20s';

/**
 * The release gates (the queries the AnalysisTemplate and the release command run) against Debian's
 * Prometheus, configured by the chart's own ConfigMap, scraping real app processes labelled as
 * revisions the way pod discovery labels them: a bad revision fails its gate while the stable one
 * passes, and a revision without player traffic is inconclusive — never a success.
 */
describeLocal()('release gates on Prometheus', () => {
  const servers: Record<string, ServerProcess> = {};
  const prometheus = new ManifestPrometheus(e2eManifests('local'));
  let api: PrometheusApi;
  const agent = new Agent({ keepAliveTimeout: 10_000 });
  let playing = true;
  let players: Promise<void[]>;

  beforeAll(async () => {
    for (const [revision, env] of Object.entries(REVISIONS)) servers[revision] = await startServer({ RATE_LIMIT_PER_MINUTE: '0', ...env });
    // Labelled as Argo Rollouts labels a revision's pods — and `idle` as a StatefulSet's pod, the single-writer release's case.
    api = await prometheus.start(
      Object.entries(servers).map(([revision, server]) => ({
        address: new URL(server.url).host,
        podLabels: { [revision === 'idle' ? 'controller-revision-hash' : 'rollouts-pod-template-hash']: revision },
      })),
    );
    // Players on every revision but `idle`, through keep-alive connections, for as long as the gates are read.
    const player = async (server: ServerProcess) => {
      while (playing) {
        const res = await undiciFetch(`${server.url}/leaderboard`, { dispatcher: agent });
        await res.arrayBuffer();
        await sleep(20);
      }
    };
    players = Promise.all(['stable', 'errors', 'slow'].flatMap((revision) => [0, 1, 2].map(() => player(servers[revision]!))));
  }, 60_000);
  afterAll(async () => {
    playing = false;
    await players;
    await prometheus.stop();
    await agent.close();
    for (const server of Object.values(servers)) {
      server.proc.kill('SIGKILL');
      await server.exited;
    }
  });

  const verdict = async (gateName: string, revision: string): Promise<Verdict> => {
    const gate = RELEASE_GATES.find((g) => g.name === gateName)!;
    const result = await api.query(gate.query(revision, WINDOW));
    return judge(gate, result.map((sample) => Number(sample.value[1])));
  };

  it('the stable revision passes both gates', async () => {
    await waitFor('every played revision measured', async () => {
      const verdicts = await Promise.all(['stable', 'errors', 'slow'].flatMap((r) => RELEASE_GATES.map((g) => verdict(g.name, r))));
      return !verdicts.includes('inconclusive');
    }, 30_000, 500);
    expect(await verdict('success-rate', 'stable')).toBe('successful');
    expect(await verdict('p99-latency', 'stable')).toBe('successful');
  });

  it("the chart's relabelling puts each pod's revision in one label, whichever workload labelled it", async () => {
    const up = await api.query('up{job="drafty-bird"}');
    expect(up.map((s) => s.metric[REVISION_LABEL]).sort()).toEqual(Object.keys(REVISIONS).sort());
    expect(up.every((s) => s.metric.namespace === 'drafty-bird' && /^drafty-bird-\d$/.test(s.metric.pod ?? ''))).toBe(true);
  });

  it('chaos errors on the new revision fail its success-rate gate (and only its)', async () => {
    expect(await verdict('success-rate', 'errors')).toBe('failed');
    expect(await verdict('p99-latency', 'errors')).toBe('successful');
  });

  it('injected latency on the new revision fails its p99 gate', async () => {
    expect(await verdict('p99-latency', 'slow')).toBe('failed');
    expect(await verdict('success-rate', 'slow')).toBe('successful');
  });

  it('a revision without player traffic is inconclusive, although probes and scrapes reach it', async () => {
    expect(await verdict('success-rate', 'idle')).toBe('inconclusive');
    expect(await verdict('p99-latency', 'idle')).toBe('inconclusive');
    // It is scraped: the gate ignores that traffic on purpose.
    expect((await api.query(`sum(http_requests_total{${REVISION_LABEL}="idle"})`)).length).toBe(1);
  });
});

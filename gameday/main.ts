/**
 * `npm run gameday -- <scenario> …` (see GAMEDAY_USAGE): plays a scenario from gamedays/ against a
 * running Drafty Bird — the Docker-free stack of `npm run observe` by default, or a cluster through
 * port-forwarded URLs — and writes its report.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { APP_JOB } from '../charts/observability/prometheus-config.ts';
import { p99Seconds, playerApi, successRatio } from '../charts/observability/promql.ts';
import { SLO_DEFAULTS } from '../charts/observability/slo.ts';
import { Crowd } from '../src/players/crowd.ts';
import { PlayerMetrics } from '../src/players/player-metrics.ts';
import { DEFAULT_SESSION_PROFILE } from '../src/players/session.ts';
import { OPERATOR_ROUTES } from '../src/surface.ts';
import { GAMEDAY_USAGE, type GamedayCommand, GamedayUsageError, parseGamedayCommand } from './command.ts';
import { GAMEDAY_COHORT } from './expectations.ts';
import { alertKey, durationMs, type GameDayIO, type GameDayResult, runGameDay } from './engine.ts';
import { ABSENT_PLAYERS, RecordedPlayersView } from './players-view.ts';
import { type ChartSeries, writeReport } from './report.ts';
import type { FaultContext, Scenario } from './scenario.ts';
import { AlertmanagerReader, PrometheusReader, TraceSearch } from './sources.ts';

const say = (line: string) => process.stdout.write(`${line}\n`);


async function loadScenario(file: string): Promise<Scenario> {
  const module = (await import(pathToFileURL(file).href)) as { default?: Scenario };
  if (!module.default?.fault || !module.default.expect) throw new GamedayUsageError(`${file} does not export default defineScenario({ … })`);
  return module.default;
}

async function reachable(name: string, url: string): Promise<void> {
  const ok = await fetch(url, { signal: AbortSignal.timeout(5000) }).then((res) => res.ok, () => false);
  if (!ok) throw new GamedayUsageError(`${name} does not answer at ${url} — is the stack running? (npm run observe, or port-forwards to the cluster)`);
}

async function main(command: GamedayCommand): Promise<number> {
  const scenario = await loadScenario(command.scenarioFile);
  if (scenario.fault.needs === 'cluster' && !command.context) throw new GamedayUsageError(`${scenario.name} needs a cluster: pass --context (e.g. kind-drafty-bird) and port-forwarded URLs`);
  if (scenario.fault.needs === 'service' && !process.env.CHAOS_ADMIN_TOKEN) throw new GamedayUsageError('CHAOS_ADMIN_TOKEN is not set: export the token the service runs with (npm run observe prints it)');
  await reachable('the service', new URL(OPERATOR_ROUTES.liveness, command.target).href);
  await reachable('Prometheus', new URL('/-/ready', command.prometheus).href);
  if (command.alertmanager) await reachable('Alertmanager', new URL('/-/ready', command.alertmanager).href);

  const prometheus = new PrometheusReader(command.prometheus);
  const alertmanager = command.alertmanager ? new AlertmanagerReader(command.alertmanager) : undefined;
  const traces = new TraceSearch(command.jaeger);
  const context: FaultContext = {
    adminUrl: command.admin,
    adminToken: process.env.CHAOS_ADMIN_TOKEN,
    kubeContext: command.context,
    prometheusUrl: command.prometheus,
    valuesFiles: command.valuesFiles,
    namespace: command.namespace,
    durationMs: durationMs(scenario.duration),
    log: (line) => say(`  ${line}`),
  };

  const count = command.players ?? scenario.players.count;
  const view = count > 0 ? new RecordedPlayersView(SLO_DEFAULTS.latency.thresholdSeconds) : undefined;
  const crowd = view
    ? new Crowd({
        target: new URL(command.target),
        players: count,
        arrivalRate: scenario.players.arrivalRate,
        rampMs: durationMs(scenario.players.ramp),
        headers: scenario.players.headers ?? { [GAMEDAY_COHORT.name]: GAMEDAY_COHORT.value },
        profile: { ...DEFAULT_SESSION_PROFILE, ...scenario.players.profile },
        metrics: new PlayerMetrics(),
        onAnswer: view.record,
      })
    : undefined;
  const samples: Array<[number, number]> = [];
  const sampler = view ? setInterval(() => {
    const ratio = view.failureRatio(10_000);
    if (ratio !== undefined) samples.push([Date.now(), ratio]);
  }, 2000) : undefined;

  let faultOn = false;
  const stopFault = async () => {
    if (!faultOn) return;
    faultOn = false;
    await scenario.fault.stop(context);
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      say('gameday: interrupted — fault off');
      void stopFault().finally(() => process.exit(130));
    });
  }

  say(`gameday: ${scenario.name} — ${scenario.description}`);
  say(`gameday: ${count > 0 ? `${count} players at ${scenario.players.arrivalRate}/s` : 'no players started here'}; expecting ${scenario.expect.alerts.map(alertKey).join(', ')}`);
  crowd?.start();
  const io: GameDayIO = {
    now: () => Date.now(),
    sleep: (delay) => sleep(delay),
    observe: async () => {
      const [alerts, routed] = await Promise.all([prometheus.alerts().catch(() => []), alertmanager?.routed().catch(() => [])]);
      return { alerts, routed };
    },
    traces: (type, since) => traces.count({ 'chaos.type': type }, since).catch(() => 0),
    query: (promql) => prometheus.value(promql).catch(() => undefined),
    players: view ?? ABSENT_PLAYERS,
    inject: async () => {
      faultOn = true;
      await scenario.fault.inject(context);
    },
    stopFault,
    log: say,
  };
  let result: GameDayResult;
  try {
    result = await runGameDay(scenario, io);
  } finally {
    await stopFault();
    clearInterval(sampler);
    await crowd?.stop();
  }
  const dir = command.reportDir ?? join('gameday-reports', `${scenario.name}-${new Date(result.startedAt).toISOString().replace(/[:.]/g, '').slice(0, 15)}`);
  const series = await chartSeries(prometheus, scenario, result, command.rateWindow, samples).catch((error: unknown) => {
    say(`gameday: no chart — Prometheus' range queries failed: ${(error as Error).message}`);
    return undefined;
  });
  const report = await writeReport(dir, result, scenario, series);
  say('');
  say(`gameday: ${result.verdict.toUpperCase()} — TTD ${fmt(result.timeToDetectMs)}, TTR ${fmt(result.timeToRecoverMs)}`);
  for (const reason of result.reasons) say(`  - ${reason}`);
  say(`gameday: report ${report}`);
  return result.verdict === 'passed' ? 0 : 1;
}

const fmt = (value: number | undefined) => (value === undefined ? '—' : `${(value / 1000).toFixed(1)} s`);

async function chartSeries(prometheus: PrometheusReader, scenario: Scenario, result: GameDayResult, window: string, players: Array<[number, number]>): Promise<ChartSeries> {
  const selector = playerApi(`job="${APP_JOB}"`);
  const step = Math.max(1, Math.round((result.endedAt - result.startedAt) / 1000 / 400));
  const names = [...new Set(scenario.expect.alerts.map((a) => a.name))].join('|');
  const [success, p99, alerts] = await Promise.all([
    prometheus.range(successRatio(selector, window), result.startedAt, result.endedAt, step),
    prometheus.range(p99Seconds(selector, window), result.startedAt, result.endedAt, step),
    prometheus.range(`ALERTS{alertname=~"${names}"}`, result.startedAt, result.endedAt, step),
  ]);
  return {
    errorRatio: success.map((s) => ({ ...s, points: s.points.map(([t, v]) => [t, 1 - v] as [number, number]) })),
    p99Seconds: p99,
    alerts,
    playersFailureRatio: players,
  };
}

try {
  process.exitCode = await main(parseGamedayCommand(process.argv.slice(2)));
} catch (error) {
  if (!(error instanceof GamedayUsageError)) throw error;
  process.stderr.write(`gameday: ${error.message}\n\n${GAMEDAY_USAGE()}\n`);
  process.exitCode = 2;
}

import { existsSync, readdirSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { PORTS } from '../src/surface.ts';

export const SCENARIO_DIR = join(import.meta.dirname, '..', 'gamedays');

/** The scenarios shipped in gamedays/, by name. */
export function shippedScenarios(): string[] {
  return readdirSync(SCENARIO_DIR)
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.spec.ts'))
    .map((file) => file.slice(0, -3))
    .sort();
}

export const GAMEDAY_USAGE = () => `usage: npm run gameday -- <scenario> [options]

scenarios (gamedays/): ${shippedScenarios().join(', ')} — or a path to your own scenario file

  --target URL         the service's public address, where players play (default http://127.0.0.1:${PORTS.public})
  --admin URL          where /chaos is (default http://127.0.0.1:${PORTS.main}); token from CHAOS_ADMIN_TOKEN
  --prometheus URL     Prometheus evaluating the service's rules (default http://127.0.0.1:9090)
  --alertmanager URL   Alertmanager receiving them (default http://127.0.0.1:9093; "" to skip delivery)
  --jaeger URL         Jaeger's query API, or npm run observe's trace receiver (default http://127.0.0.1:16686)
  --report DIR         where report.md, report.json and chart.svg go (default gameday-reports/<scenario>-<time>)
  --players N          players this process starts (default: the scenario's; 0 relies on players already running)
  --context NAME       kube context, for cluster scenarios (pod kill, bad release)
  --namespace NAME     the service's namespace in the cluster (default drafty-bird)
  -f, --values FILE    values files the cluster was deployed with, for a scenario that releases (repeatable)
  --rate-window DUR    rate() window of the chart's error ratio and p99 (default 30s)

The defaults are npm run observe's addresses: start it in another terminal, export the token it prints,
then run a scenario. Exit 0: passed; 1: failed or aborted (the report says why); 2: usage.`;

export class GamedayUsageError extends Error {}

export interface GamedayCommand {
  scenarioFile: string;
  target: string;
  admin: string;
  prometheus: string;
  alertmanager: string | undefined;
  jaeger: string;
  reportDir: string | undefined;
  players: number | undefined;
  context: string | undefined;
  namespace: string;
  valuesFiles: string[];
  rateWindow: string;
}

export function parseGamedayCommand(argv: readonly string[], cwd = process.cwd()): GamedayCommand {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        target: { type: 'string', default: `http://127.0.0.1:${PORTS.public}` },
        admin: { type: 'string', default: `http://127.0.0.1:${PORTS.main}` },
        prometheus: { type: 'string', default: 'http://127.0.0.1:9090' },
        alertmanager: { type: 'string', default: 'http://127.0.0.1:9093' },
        jaeger: { type: 'string', default: 'http://127.0.0.1:16686' },
        report: { type: 'string' },
        players: { type: 'string' },
        context: { type: 'string' },
        namespace: { type: 'string', default: 'drafty-bird' },
        values: { type: 'string', short: 'f', multiple: true, default: [] },
        'rate-window': { type: 'string', default: '30s' },
      },
    });
  } catch (error) {
    throw new GamedayUsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (positionals.length !== 1) throw new GamedayUsageError(positionals.length ? `one scenario at a time, got ${positionals.join(' ')}` : 'which scenario?');
  for (const flag of ['target', 'admin', 'prometheus', 'jaeger'] as const) url(flag, values[flag]);
  if (values.alertmanager) url('alertmanager', values.alertmanager);
  const players = values.players === undefined ? undefined : Number(values.players);
  if (players !== undefined && (!Number.isInteger(players) || players < 0 || players > 10_000)) throw new GamedayUsageError(`--players must be an integer from 0 to 10000, got ${values.players}`);
  if (!/^\d+(s|m)$/.test(values['rate-window'])) throw new GamedayUsageError(`--rate-window must be a Prometheus duration such as 30s, got ${values['rate-window']}`);
  return {
    scenarioFile: scenarioFile(positionals[0]!, cwd),
    target: values.target,
    admin: values.admin,
    prometheus: values.prometheus,
    alertmanager: values.alertmanager || undefined,
    jaeger: values.jaeger,
    reportDir: values.report,
    players,
    context: values.context,
    namespace: values.namespace,
    valuesFiles: values.values.map((file) => resolve(cwd, file)),
    rateWindow: values['rate-window'],
  };
}

function url(flag: string, text: string): void {
  if (!URL.canParse(text) || !/^https?:$/.test(new URL(text).protocol)) throw new GamedayUsageError(`--${flag} must be an http(s) URL, got ${JSON.stringify(text)}`);
}

/** A shipped scenario's name, or a path to a scenario file. */
function scenarioFile(name: string, cwd: string): string {
  if (/^[a-z0-9-]+$/.test(name)) {
    const shipped = join(SCENARIO_DIR, `${name}.ts`);
    if (existsSync(shipped)) return shipped;
  }
  const path = isAbsolute(name) ? name : resolve(cwd, name);
  if (existsSync(path)) return path;
  throw new GamedayUsageError(`no scenario ${JSON.stringify(name)}: shipped ones are ${shippedScenarios().join(', ')}`);
}

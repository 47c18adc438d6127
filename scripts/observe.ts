/**
 * `npm run observe`: the game-day stack without Docker — the service (production build, the image's
 * own command), Debian's Prometheus with the chart's scrape config and rules, Debian's Alertmanager with
 * the chart's routing, a webhook receiver that prints every notification, and a trace receiver the
 * service exports to (OTLP/HTTP), searchable through Jaeger's query API. One line per URL, then
 * notifications as they arrive; Ctrl-C stops everything.
 *
 * Game-day timings by default (alerts hold 1 minute, a 1-hour SLO window): flags change them.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { stringify } from 'yaml';
import { alertmanagerConfig } from '../charts/observability/alertmanager-config.ts';
import { prometheusConfig, ruleFile } from '../charts/observability/prometheus-config.ts';
import { minRateWindow, SLO_DEFAULTS } from '../charts/observability/slo.ts';
import { OPERATOR_ROUTES, PORTS } from '../src/surface.ts';
import { startArgs } from '../test/support/start-command.ts';
import { waitFor } from '../test/support/wait.ts';
import { AlertReceiver, describeNotification } from './lib/alert-receiver.ts';
import { OtlpReceiver } from './lib/otlp-receiver.ts';

const ROOT = join(import.meta.dirname, '..');
const ALERTMANAGER_BINARY = 'prometheus-alertmanager';

const { values: flags } = parseArgs({
  options: {
    'app-port': { type: 'string', default: String(PORTS.main) },
    'public-port': { type: 'string', default: String(PORTS.public) },
    'prometheus-port': { type: 'string', default: '9090' },
    'alertmanager-port': { type: 'string', default: '9093' },
    'receiver-port': { type: 'string', default: '9094' },
    /** Jaeger's query port: the trace receiver answers its search API there. */
    'traces-port': { type: 'string', default: '16686' },
    /** How long the runbook alerts' conditions must hold (production: 5m). */
    'alert-for': { type: 'string', default: '1m' },
    /** The SLO window every burn-rate window scales with (production: 30d). */
    'slo-window': { type: 'string', default: '1h' },
    'scrape-interval': { type: 'string', default: '5s' },
  },
});

function requireTools(): void {
  const missing = ['prometheus', ALERTMANAGER_BINARY].filter((tool) => spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0);
  if (missing.length > 0) {
    process.stderr.write(`observe: ${missing.join(' and ')} missing — install Debian's packages: sudo apt-get install -y prometheus prometheus-alertmanager\n`);
    process.exit(1);
  }
  if (!existsSync(join(ROOT, 'dist', 'main.js'))) {
    process.stderr.write('observe: no production build in dist/ — run it as `npm run observe` (which builds first)\n');
    process.exit(1);
  }
}

interface Child {
  name: string;
  proc: ChildProcess;
  output: string[];
}

const children: Child[] = [];
let stopping = false;

function start(name: string, command: string, args: string[], env: NodeJS.ProcessEnv = process.env, log?: string): Child {
  const proc = spawn(command, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  const file = log ? createWriteStream(log) : undefined;
  for (const stream of [proc.stdout, proc.stderr]) {
    stream?.on('data', (chunk: Buffer) => {
      file?.write(chunk);
      output.push(chunk.toString());
      if (output.length > 200) output.shift();
    });
  }
  const child = { name, proc, output };
  children.push(child);
  proc.on('exit', (code, signal) => {
    if (stopping) return;
    process.stderr.write(`observe: ${name} exited (${signal ?? code}):\n${output.join('').split('\n').slice(-20).join('\n')}\n`);
    void stopAll(1);
  });
  return child;
}

const ready = (name: string, url: string) => waitFor(`${name} to answer ${url}`, () => fetch(url).then((res) => res.ok, () => false), 30_000, 200);

let dir = '';
let receiver: AlertReceiver | undefined;
let traces: OtlpReceiver | undefined;

async function stopAll(code: number): Promise<never> {
  stopping = true;
  await Promise.all(
    children.map(async ({ proc }) => {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      proc.kill('SIGTERM');
      await once(proc, 'exit');
    }),
  );
  await receiver?.stop();
  await traces?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
  process.exit(code);
}

async function main(): Promise<void> {
  requireTools();
  dir = mkdtempSync(join(tmpdir(), 'drafty-bird-observe-'));
  for (const folder of ['data', 'prometheus', 'alertmanager']) mkdirSync(join(dir, folder));
  const host = '127.0.0.1';
  const port = (flag: keyof typeof flags) => Number(flags[flag]);
  const url = (flag: keyof typeof flags, path = '') => `http://${host}:${port(flag)}${path}`;

  receiver = new AlertReceiver((notification) => {
    for (const line of describeNotification(notification)) process.stdout.write(`${new Date().toISOString()} ${line}\n`);
  });
  const webhook = await receiver.start(port('receiver-port'));
  traces = new OtlpReceiver();
  const tracesUrl = await traces.start(port('traces-port'), host);

  writeFileSync(join(dir, 'alertmanager.yml'), stringify(alertmanagerConfig({ webhookUrl: webhook, groupWait: '5s', groupInterval: '30s', repeatInterval: '4h' })));
  start(ALERTMANAGER_BINARY, ALERTMANAGER_BINARY, [
    `--config.file=${join(dir, 'alertmanager.yml')}`,
    `--storage.path=${join(dir, 'alertmanager')}`,
    `--web.listen-address=${host}:${port('alertmanager-port')}`,
    '--cluster.listen-address=',
  ]);

  const scrape = flags['scrape-interval'] as string;
  writeFileSync(join(dir, 'alerts.yml'), stringify(ruleFile({ forDuration: flags['alert-for'], slo: { ...SLO_DEFAULTS, window: flags['slo-window'] as string, minWindow: minRateWindow(scrape) } })));
  writeFileSync(
    join(dir, 'prometheus.yml'),
    stringify(prometheusConfig({ staticTargets: [`${host}:${port('app-port')}`], scrapeInterval: scrape, evaluationInterval: scrape, ruleFiles: [join(dir, 'alerts.yml')], alertmanagers: [`${host}:${port('alertmanager-port')}`] })),
  );
  start('prometheus', 'prometheus', [
    `--config.file=${join(dir, 'prometheus.yml')}`,
    `--storage.tsdb.path=${join(dir, 'prometheus')}`,
    '--storage.tsdb.retention.time=1d',
    `--web.listen-address=${host}:${port('prometheus-port')}`,
  ]);

  const token = process.env.CHAOS_ADMIN_TOKEN || randomBytes(24).toString('hex');
  const appLog = join(dir, 'app.log');
  start('drafty-bird', process.execPath, startArgs(join(ROOT, 'Dockerfile')), {
    ...process.env,
    PORT: flags['app-port'],
    PUBLIC_PORT: flags['public-port'],
    HOST: host,
    SCORE_DB_PATH: join(dir, 'data', 'db.sqlite'),
    CHAOS_ADMIN_TOKEN: token,
    OTEL_EXPORTER_OTLP_ENDPOINT: tracesUrl,
  }, appLog);

  await ready('drafty-bird', url('app-port', OPERATOR_ROUTES.readiness));
  await ready('prometheus', url('prometheus-port', '/-/ready'));
  await ready(ALERTMANAGER_BINARY, url('alertmanager-port', '/-/ready'));

  // Debian's Prometheus 2.x serves its alerts page under /classic (its React UI is not packaged).
  const alertsPage = (await fetch(url('prometheus-port', '/alerts')).then((res) => res.ok, () => false)) ? '/alerts' : '/classic/alerts';
  const lines = [
    ['Drafty Bird', url('public-port', '/'), 'players: the game and its API'],
    ['Operators', url('app-port', OPERATOR_ROUTES.readiness), 'and /metrics /version /chaos on that port'],
    ['Prometheus', url('prometheus-port', alertsPage), `rules: runbook alerts (for ${flags['alert-for']}), SLOs over ${flags['slo-window']}`],
    ['Alertmanager', url('alertmanager-port', '/'), 'routes page / ticket / info'],
    ['Webhook', webhook, 'notifications print below'],
    ['Traces', `${tracesUrl}/api/traces?service=drafty-bird&tags={"chaos.type":"error"}`, "the spans the service exported, searched like Jaeger's API"],
    ['Chaos token', `export CHAOS_ADMIN_TOKEN=${token}`, ''],
    ['Service log', appLog, ''],
  ];
  for (const [name, where, what] of lines) process.stdout.write(`${name!.padEnd(13)}${where}${what ? `   (${what})` : ''}\n`);
  process.stdout.write('observe: ready; Ctrl-C stops everything\n');
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => void stopAll(0));
main().catch((error: unknown) => {
  process.stderr.write(`observe: ${(error as Error).message}\n`);
  void stopAll(1);
});

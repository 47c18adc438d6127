/**
 * npm run bench [-- --quick]
 *
 * The production build with everything a deployment has on (metrics, JSON logs at info, tracing
 * exporting OTLP/HTTP to a local sink; chaos and rate limits off), on databases pre-seeded with 10,000
 * and 1,000,000 scores, driven by autocannon over loopback; and a bare-Fastify ceiling in the same run.
 * Server and load generator are pinned to different CPUs when taskset exists. Results: bench/results.json
 * and a markdown table (printed; kept in bench/RESULTS.md by the full run).
 */
import { parseArgs } from 'node:util';
import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import autocannon from 'autocannon';
import Database from 'better-sqlite3';
import { pacedLoad, pacedMix, type PacedResult } from './paced-load.ts';
import { playerMix } from './player-mix.ts';
import { RunPool } from './run-pool.ts';
import { convergenceMs, seedPostgres, startBenchPostgres } from './postgres.ts';
import { freePort } from '../test/support/free-port.ts';
import { startArgs } from '../test/support/start-command.ts';
import { waitFor } from '../test/support/wait.ts';
import { nodeOptions } from '../charts/app-environment.ts';
import { LOCAL } from '../charts/values.ts';

const ROOT = join(import.meta.dirname, '..');
// Strict: a typo such as `--qiuck` stops here instead of starting the five-minute run over RESULTS.md.
const QUICK = (() => {
  try {
    return parseArgs({ options: { quick: { type: 'boolean', default: false } }, strict: true }).values.quick;
  } catch (error) {
    process.stderr.write(`bench: ${(error as Error).message}; usage: npm run bench [-- --quick]\n`);
    process.exit(2);
  }
})();
const SETTINGS = QUICK
  ? { reps: 1, seconds: 1, warmupSeconds: 1, connections: 32, smallDb: 10_000, largeDb: 0, coldStarts: 1, fixedRateSeconds: 1 }
  : { reps: 3, seconds: 5, warmupSeconds: 2, connections: 32, smallDb: 10_000, largeDb: 1_000_000, coldStarts: 5, fixedRateSeconds: 5 };

const TASKSET = spawnSync('taskset', ['-V']).status === 0 && cpus().length >= 2;
const SERVER_CPU = '0';
const LOAD_CPU = '1';

interface Run {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
}

interface Summary {
  median: Run;
  /** [min, max] of req/s over the repetitions. */
  rpsSpread: [number, number];
  runs: Run[];
}

/** Every process the harness started: killed when it exits, even on an error, so none outlives it. */
const children = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});
function started(child: ChildProcess): ChildProcess {
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

function pinned(command: string, args: string[]): [string, string[]] {
  return TASKSET ? ['taskset', ['-c', SERVER_CPU, command, ...args]] : [command, args];
}

/** Start-up is measured to the first 200: poll often. */
const waitForOk = (url: string, timeoutMs = 30_000) => waitFor(`${url} to answer 200`, () => fetch(url).then((r) => r.ok, () => false), timeoutMs, 10);

interface Service {
  proc: ChildProcess;
  url: string;
  stop(): Promise<void>;
}

async function startService(dbPath: string, extraEnv: NodeJS.ProcessEnv = {}): Promise<Service> {
  const port = await freePort();
  // The image's CMD, as every test runs it.
  const [command, args] = pinned(process.execPath, startArgs(join(ROOT, 'Dockerfile')));
  const proc = started(spawn(command, args, {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      PORT: String(port),
      HOST: '127.0.0.1',
      SCORE_DB_PATH: dbPath,
      LOG_LEVEL: 'info',
      RATE_LIMIT_PER_MINUTE: '0',
      SHUTDOWN_DELAY_MS: '0',
      // The V8 heap flags the chart gives the container.
      NODE_OPTIONS: nodeOptions(LOCAL),
      ...extraEnv,
    },
    // JSON log lines go to a pipe that is drained, like a container runtime's log driver.
    stdio: ['ignore', 'pipe', 'inherit'],
  }));
  proc.stdout?.resume();
  const url = `http://127.0.0.1:${port}`;
  await waitForOk(`${url}/readyz`);
  return {
    proc,
    url,
    async stop() {
      proc.kill('SIGTERM');
      await once(proc, 'exit');
    },
  };
}

function rssMiB(pid: number | undefined): number {
  // With taskset the child is taskset's exec'd node: same pid.
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

function peakRssMiB(pid: number | undefined): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

/** CPU seconds (user + system) the process has used so far. */
function cpuSeconds(pid: number | undefined): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** Runs `work` and returns its result with the CPU seconds `pid` used meanwhile and the wall time. */
async function metered<T>(pid: number | undefined, work: () => Promise<T>): Promise<{ result: T; cpuSeconds: number; wallSeconds: number }> {
  const [cpu0, wall0] = [cpuSeconds(pid), performance.now()];
  const result = await work();
  return { result, cpuSeconds: cpuSeconds(pid) - cpu0, wallSeconds: (performance.now() - wall0) / 1000 };
}

interface LoadOptions {
  method?: 'GET' | 'POST';
  /** A fixed body, or one per request (each score carries its own run). */
  body?: string | (() => string);
  /** Sees every answer (POST /game-start's runs fill the pool). */
  onResponse?: (status: number, body: string) => void;
  rate?: number;
  seconds?: number;
}

async function load(url: string, options: LoadOptions = {}): Promise<Run> {
  const { body, onResponse } = options;
  const result = await autocannon({
    url,
    connections: SETTINGS.connections,
    duration: options.seconds ?? SETTINGS.seconds,
    method: options.method ?? 'GET',
    body: typeof body === 'string' ? body : undefined,
    headers: body ? { 'content-type': 'application/json' } : undefined,
    overallRate: options.rate,
    requests: [
      {
        ...(typeof body === 'function' ? { setupRequest: (request: autocannon.Request) => ({ ...request, body: body() }) } : {}),
        ...(onResponse ? { onResponse } : {}),
      },
    ],
  });
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts + result.non2xx,
  };
}

/**
 * Called before each load with its duration and the last measured rate (undefined before the first):
 * POST /score fills its pool of runs here, unmeasured, for the requests the load is about to send.
 */
type Prepare = (seconds: number, lastRps: number | undefined) => Promise<void>;

async function repeat(url: string, options: LoadOptions = {}, prepare?: Prepare): Promise<Summary> {
  // A warm-up run first, not counted: the first seconds measure the JIT, not the service.
  await prepare?.(SETTINGS.warmupSeconds, undefined);
  const warmup = await load(url, { ...options, seconds: SETTINGS.warmupSeconds });
  const runs: Run[] = [];
  for (let i = 0; i < SETTINGS.reps; i++) {
    await prepare?.(options.seconds ?? SETTINGS.seconds, (runs.at(-1) ?? warmup).rps);
    runs.push(await load(url, options));
  }
  return summarize(runs);
}

/** The median repetition by req/s (itself, with whatever it carries) and the spread of req/s. */
function summarize<R extends Run>(runs: R[]): Summary & { median: R } {
  const sorted = [...runs].sort((a, b) => a.rps - b.rps);
  return { median: sorted[Math.floor(sorted.length / 2)]!, rpsSpread: [sorted[0]!.rps, sorted[sorted.length - 1]!.rps], runs };
}

/** A guess at POST /score's rate before it was measured: above what this machine reaches. */
const FIRST_GUESS_RPS = 12_000;

/** Fills `pool` before a POST /score load of `seconds`: half again what the last rate would use. */
const runsFor = (serviceUrl: string, pool: RunPool): Prepare => (seconds, lastRps) =>
  pool.fill(`${serviceUrl}/game-start`, (lastRps ?? FIRST_GUESS_RPS) * seconds * 1.5, SETTINGS.connections);

/** The sum of drafty_bird_score_rejections_total over its reasons. */
function rejectionsIn(metrics: string): number {
  return [...metrics.matchAll(/^drafty_bird_score_rejections_total\{[^}]*\} (\d+)$/gm)].reduce((sum, match) => sum + Number(match[1]), 0);
}

/** Creates the schema through the service's own migrations, then bulk-loads `count` scores. */
async function seedDatabase(dir: string, count: number): Promise<string> {
  const dbPath = join(dir, `db-${count}.sqlite`);
  const service = await startService(dbPath);
  await service.stop();
  const db = new Database(dbPath);
  db.pragma('journal_mode = WAL');
  const insert = db.prepare('INSERT INTO scores (player, score, created_at) VALUES (?, ?, ?)');
  const start = Date.parse('2026-01-01T00:00:00.000Z');
  db.transaction(() => {
    for (let i = 0; i < count; i++) insert.run(`player-${i % 5000}`, (i * 7919) % 1_000_001, new Date(start + i * 1000).toISOString());
  })();
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  return dbPath;
}

async function coldStarts(dbPath: string, env: NodeJS.ProcessEnv = {}): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < SETTINGS.coldStarts; i++) {
    const started = performance.now();
    const service = await startService(dbPath, env);
    times.push(performance.now() - started);
    await service.stop();
  }
  return times.sort((a, b) => a - b);
}

async function ceiling(payload: string): Promise<Summary> {
  return withCeiling(payload, (url) => repeat(url));
}

async function withCeiling<T>(payload: string, measure: (url: string, pid: number | undefined) => Promise<T>): Promise<T> {
  const port = await freePort();
  const [command, args] = pinned(process.execPath, ['--experimental-strip-types', join(import.meta.dirname, 'ceiling.ts')]);
  const proc = started(spawn(command, args, { cwd: ROOT, env: { PATH: process.env.PATH, PORT: String(port), CEILING_PAYLOAD: payload }, stdio: ['ignore', 'pipe', 'inherit'] }));
  const url = `http://127.0.0.1:${port}`;
  await waitForOk(`${url}/leaderboard`);
  try {
    return await measure(`${url}/leaderboard`, proc.pid);
  } finally {
    proc.kill('SIGTERM');
    await once(proc, 'exit');
  }
}

/** The collector stand-in in its own process, on the load generator's CPU: not the service's. */
async function startOtlpSink(): Promise<{ url: string; stop: () => Promise<number> }> {
  const args = ['--experimental-strip-types', join(import.meta.dirname, 'otlp-sink.ts')];
  const proc = started(spawn(TASKSET ? 'taskset' : process.execPath, TASKSET ? ['-c', LOAD_CPU, process.execPath, ...args] : args, { stdio: ['ignore', 'pipe', 'inherit'] }));
  const lines: string[] = [];
  let resolvePort: (port: string) => void = () => undefined;
  const port = new Promise<string>((resolve) => (resolvePort = resolve));
  proc.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    lines.push(...chunk.split('\n').filter(Boolean));
    if (lines.length === 1) resolvePort(lines[0] as string);
  });
  return {
    url: `http://127.0.0.1:${await port}`,
    async stop() {
      proc.kill('SIGTERM');
      await once(proc, 'exit');
      return Number(lines[1] ?? 0);
    },
  };
}

function machine(): Record<string, unknown> {
  return {
    cpu: cpus()[0]?.model,
    cpus: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    os: readFileSync('/etc/os-release', 'utf8').match(/PRETTY_NAME="(.+)"/)?.[1],
    pinned: TASKSET ? `server and ceiling on CPU ${SERVER_CPU}, load generator on CPU ${LOAD_CPU}` : 'no taskset: not pinned',
    nodeOptions: nodeOptions(LOCAL),
    connections: SETTINGS.connections,
    secondsPerRun: SETTINGS.seconds,
    repetitions: SETTINGS.reps,
  };
}

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const pct = (n: number) => `${fmt(n * 100, 1)}%`;

async function main(): Promise<void> {
  if (!existsSync(join(ROOT, 'dist', 'main.js'))) throw new Error('run `npm run build` first');
  if (TASKSET) execFileSync('taskset', ['-pc', LOAD_CPU, String(process.pid)], { stdio: 'ignore' });
  const dir = mkdtempSync(join(tmpdir(), 'drafty-bird-bench-'));
  const sink = await startOtlpSink();
  const tracing = { OTEL_EXPORTER_OTLP_ENDPOINT: sink.url };
  const results: Record<string, unknown> = { machine: machine(), quick: QUICK, date: new Date().toISOString() };
  try {
    const small = await seedDatabase(dir, SETTINGS.smallDb);
    results.spawnToReadyMs = await coldStarts(small);
    results.spawnToReadyTracedMs = await coldStarts(small, tracing);
    // The image ships Node's compile cache, warmed at build time by this very script.
    const cache = join(dir, 'compile-cache');
    execFileSync(process.execPath, ['--experimental-strip-types', join(ROOT, 'scripts', 'image', 'warm-compile-cache.ts'), join(ROOT, 'Dockerfile'), cache], { stdio: 'ignore' });
    const deployed = { ...tracing, NODE_COMPILE_CACHE: cache };
    results.spawnToReadyTracedCachedMs = await coldStarts(small, deployed);

    // As a pod runs it: the compile cache also spares the memory of compiling the bundle (~8 MiB idle).
    const service = await startService(small, deployed);
    await sleep(500);
    const idle = rssMiB(service.proc.pid);
    const payload = await (await fetch(`${service.url}/leaderboard`)).text();
    // Every POST /score carries its own run, issued (unmeasured) by the service just before the load.
    const runs = new RunPool();
    const withRuns = runsFor(service.url, runs);
    const endpoints: Record<string, Summary> = {};
    // Every game calls it once; the runs it issues here feed the POST /score measurement.
    endpoints['POST /game-start'] = await repeat(`${service.url}/game-start`, { method: 'POST', body: '{}', onResponse: runs.collect });
    endpoints['GET /leaderboard'] = await repeat(`${service.url}/leaderboard`);
    endpoints['POST /score'] = await repeat(`${service.url}/score`, { method: 'POST', body: runs.nextBody }, withRuns);
    // Every score was a real write: no run refused, none replayed.
    const scoreRejections = rejectionsIn(await (await fetch(`${service.url}/metrics`)).text());
    endpoints['GET /healthz'] = await repeat(`${service.url}/healthz`);
    endpoints['GET /metrics'] = await repeat(`${service.url}/metrics`);
    const peak = peakRssMiB(service.proc.pid);
    await service.stop();

    // Tracing settings side by side on the same data: the paced players' mix, then saturation.
    const traced = await tracingRuns(dir, small, tracing);

    const ceil = await ceiling(payload);
    // What the same paced load costs a server that does nothing else: target 1's CPU-s/s read as a ratio of it.
    const ceilingFixedRate = await withCeiling(payload, async (url, pid) => {
      const run = await pacedWithCpu(pid, (seconds) => pacedLoad(url, { rate: PACED_RATE, seconds }));
      return { ...run.result, cpuPerSecond: run.cpuPerSecond };
    });
    const large = SETTINGS.largeDb ? await largeRuns(await startService(await seedDatabase(dir, SETTINGS.largeDb), deployed)) : undefined;
    results.postgres = await postgresRuns(dir, tracing);
    Object.assign(results, { scoreRejections, runsLeft: runs.size, idleRssMiB: idle, peakRssMiB: peak, endpoints, tracing: traced, ceilingFixedRate, ceiling: ceil, large });
  } finally {
    results.otlpBytesExported = await sink.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  const markdown = report(results);
  process.stdout.write(`${markdown}\n`);
  // The quick run (npm test) proves the harness works; it never overwrites the recorded results.
  const outDir = QUICK ? (process.env.BENCH_OUT ?? tmpdir()) : import.meta.dirname;
  writeFileSync(join(outDir, QUICK ? 'results.quick.json' : 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  if (!QUICK) keepInResultsMd(markdown);
}

/** GET /leaderboard and POST /score on a service holding the 1,000,000-score seed; stops it after. */
async function largeRuns(service: Service): Promise<Record<string, Summary>> {
  const runs = new RunPool();
  try {
    return {
      'GET /leaderboard': await repeat(`${service.url}/leaderboard`),
      'POST /score': await repeat(`${service.url}/score`, { method: 'POST', body: runs.nextBody }, runsFor(service.url, runs)),
    };
  } finally {
    await service.stop();
  }
}

/** The runbook's traffic assumption per task: what the paced runs offer. */
const PACED_RATE = 1000;

/** A paced load (`pace(seconds)`) after its unmeasured warm-up, with the server's CPU-seconds per second meanwhile. */
async function pacedWithCpu<T>(pid: number | undefined, pace: (seconds: number) => Promise<T>): Promise<{ result: T; cpuPerSecond: number }> {
  await pace(SETTINGS.warmupSeconds);
  const run = await metered(pid, () => pace(SETTINGS.fixedRateSeconds));
  return { result: run.result, cpuPerSecond: run.cpuSeconds / run.wallSeconds };
}

/** The three ways a deployment may trace, each its own service on a copy of the same data. */
const TRACING_VARIANTS = (tracing: NodeJS.ProcessEnv): Record<string, NodeJS.ProcessEnv> => ({
  'tracing off': { OTEL_SDK_DISABLED: 'true' },
  '10% of traces (parentbased_traceidratio 0.1)': { ...tracing, OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.1' },
  'every trace (as deployed)': tracing,
});

interface PacedMixRun {
  routes: Record<string, PacedResult>;
  /** Server CPU seconds per second of the run: what a pod's CPU request is sized from. */
  cpuPerSecond: number;
}

interface TracingRun {
  mix: PacedMixRun;
  leaderboard: Summary;
  /** Server CPU microseconds per GET /leaderboard at saturation (median repetition). */
  cpuMicrosPerRequest: number;
}

/**
 * For each tracing setting: the synthetic players' mix (derived from their session model) evenly paced
 * at 1,000 req/s, with the server's CPU over the run; then GET /leaderboard at saturation. The three
 * services run side by side and the saturation repetitions interleave (off, 10%, all; off, …), so a
 * machine that slows down during the run slows every setting alike and the ratios stay honest.
 */
async function tracingRuns(dir: string, db: string, tracing: NodeJS.ProcessEnv): Promise<Record<string, TracingRun>> {
  const mix = playerMix();
  const variants = Object.entries(TRACING_VARIANTS(tracing));
  const services = [];
  for (const [i, [, env]] of variants.entries()) {
    const copy = join(dir, `tracing-${i}.sqlite`);
    copyFileSync(db, copy);
    services.push(await startService(copy, env));
  }
  try {
    const mixes: PacedMixRun[] = [];
    for (const service of services) {
      const runs = new RunPool();
      const seconds = SETTINGS.warmupSeconds + SETTINGS.fixedRateSeconds;
      await runs.fill(`${service.url}/game-start`, PACED_RATE * seconds * mix.score * 1.2, SETTINGS.connections);
      const targets = [
        { name: 'POST /game-start', weight: mix.gameStart, path: '/game-start', method: 'POST', body: '{}' },
        { name: 'POST /score', weight: mix.score, path: '/score', method: 'POST', body: runs.nextBody },
        { name: 'GET /leaderboard', weight: mix.leaderboard, path: '/leaderboard' },
      ];
      const run = await pacedWithCpu(service.proc.pid, (seconds) => pacedMix(service.url, targets, { rate: PACED_RATE, seconds }));
      mixes.push({ routes: run.result, cpuPerSecond: run.cpuPerSecond });
    }
    for (const service of services) await load(`${service.url}/leaderboard`, { seconds: SETTINGS.warmupSeconds });
    const reps = services.map((): (Run & { cpuMicros: number })[] => []);
    for (let rep = 0; rep < SETTINGS.reps; rep++) {
      for (const [i, service] of services.entries()) {
        const measured = await metered(service.proc.pid, () => load(`${service.url}/leaderboard`));
        reps[i]!.push({ ...measured.result, cpuMicros: (measured.cpuSeconds * 1e6) / (measured.result.rps * measured.wallSeconds) });
      }
    }
    return Object.fromEntries(variants.map(([name], i) => {
      const leaderboard = summarize(reps[i]!);
      return [name, { mix: mixes[i]!, leaderboard, cpuMicrosPerRequest: leaderboard.median.cpuMicros }];
    }));
  } finally {
    for (const service of services) await service.stop();
  }
}

/**
 * PostgreSQL mode on this machine: one replica on the same seed (10,000 scores) as deployed, and the
 * time a score takes from one replica's 201 to another replica's leaderboard (LISTEN/NOTIFY).
 */
async function postgresRuns(dir: string, tracing: NodeJS.ProcessEnv): Promise<Record<string, unknown>> {
  const server = await startBenchPostgres();
  try {
    const env = { ...tracing, DATABASE_URL: server.appUrl };
    const unused = join(dir, 'unused.sqlite');
    // Migrate through the service, then seed.
    await (await startService(unused, env)).stop();
    await seedPostgres(server, SETTINGS.smallDb);
    const service = await startService(unused, env);
    const runs = new RunPool();
    const endpoints: Record<string, Summary> = {};
    endpoints['POST /game-start'] = await repeat(`${service.url}/game-start`, { method: 'POST', body: '{}', onResponse: runs.collect });
    endpoints['GET /leaderboard'] = await repeat(`${service.url}/leaderboard`);
    endpoints['POST /score'] = await repeat(`${service.url}/score`, { method: 'POST', body: runs.nextBody }, runsFor(service.url, runs));
    const scoreRejections = rejectionsIn(await (await fetch(`${service.url}/metrics`)).text());
    await service.stop();

    // The same scale question as SQLite's: 1,000,000 stored scores against the 10,000 above.
    let large: Record<string, Summary> | undefined;
    if (SETTINGS.largeDb) {
      const largeEnv = { ...tracing, DATABASE_URL: await server.createDatabase('large') };
      await (await startService(unused, largeEnv)).stop();
      await seedPostgres(server, SETTINGS.largeDb, 'large');
      large = await largeRuns(await startService(unused, largeEnv));
    }

    const converge = { ...tracing, DATABASE_URL: await server.createDatabase('converge') };
    const [a, b] = [await startService(unused, converge), await startService(unused, converge)];
    const convergence = await convergenceMs(a.url, b.url, QUICK ? 5 : 50);
    await Promise.all([a.stop(), b.stop()]);
    return { endpoints, large, scoreRejections, convergenceMs: convergence };
  } finally {
    server.destroy();
  }
}

/** Replaces the measured table in bench/RESULTS.md, keeping the notes around it. */
function keepInResultsMd(markdown: string): void {
  const path = join(import.meta.dirname, 'RESULTS.md');
  const [start, end] = ['<!-- results:start -->', '<!-- results:end -->'];
  const current = existsSync(path) ? readFileSync(path, 'utf8') : `# Benchmark results\n\n${start}\n${end}\n`;
  const before = current.slice(0, current.indexOf(start) + start.length);
  const after = current.slice(current.indexOf(end));
  writeFileSync(path, `${before}\n${markdown}\n${after}`);
}

function report(r: Record<string, any>): string { // eslint-disable-line @typescript-eslint/no-explicit-any
  const ceilingRps = r.ceiling.median.rps as number;
  const lines = [
    `Machine: ${r.machine.cpus} × ${r.machine.cpu}, ${r.machine.memoryGiB} GiB, ${r.machine.os}, Node ${r.machine.node}; ${r.machine.pinned}; service with NODE_OPTIONS=${r.machine.nodeOptions} as in the chart.`,
    `autocannon, ${r.machine.connections} connections, ${r.machine.secondsPerRun} s per run, median of ${r.machine.repetitions} (spread = min–max req/s).`,
    '',
    '| Endpoint (10,000 scores) | req/s | spread | vs ceiling | p50 ms | p99 ms | errors |',
    '|---|---:|---:|---:|---:|---:|---:|',
    `| bare Fastify ceiling (GET /leaderboard from memory) | ${fmt(ceilingRps)} | ${fmt(r.ceiling.rpsSpread[0])}–${fmt(r.ceiling.rpsSpread[1])} | 100% | ${r.ceiling.median.p50} | ${r.ceiling.median.p99} | ${r.ceiling.median.errors} |`,
  ];
  for (const [name, s] of Object.entries(r.endpoints as Record<string, Summary>)) {
    lines.push(`| ${name} | ${fmt(s.median.rps)} | ${fmt(s.rpsSpread[0])}–${fmt(s.rpsSpread[1])} | ${pct(s.median.rps / ceilingRps)} | ${s.median.p50} | ${s.median.p99} | ${s.median.errors} |`);
  }
  if (r.large) {
    for (const [name, s] of Object.entries(r.large as Record<string, Summary>)) {
      const base = (r.endpoints as Record<string, Summary>)[name]!.median.rps;
      lines.push(`| ${name} on 1,000,000 scores | ${fmt(s.median.rps)} | ${fmt(s.rpsSpread[0])}–${fmt(s.rpsSpread[1])} | ${pct(s.median.rps / ceilingRps)} (${pct(s.median.rps / base)} of 10k) | ${s.median.p50} | ${s.median.p99} | ${s.median.errors} |`);
    }
  }
  if (r.postgres) {
    for (const [name, s] of Object.entries(r.postgres.endpoints as Record<string, Summary>)) {
      const sqlite = (r.endpoints as Record<string, Summary>)[name]!.median.rps;
      lines.push(`| ${name} on PostgreSQL (one replica, same machine) | ${fmt(s.median.rps)} | ${fmt(s.rpsSpread[0])}–${fmt(s.rpsSpread[1])} | ${pct(s.median.rps / ceilingRps)} (${pct(s.median.rps / sqlite)} of SQLite) | ${s.median.p50} | ${s.median.p99} | ${s.median.errors} |`);
    }
    for (const [name, s] of Object.entries((r.postgres.large ?? {}) as Record<string, Summary>)) {
      const base = (r.postgres.endpoints as Record<string, Summary>)[name]!.median.rps;
      lines.push(`| ${name} on PostgreSQL, 1,000,000 scores | ${fmt(s.median.rps)} | ${fmt(s.rpsSpread[0])}–${fmt(s.rpsSpread[1])} | ${pct(s.median.rps / ceilingRps)} (${pct(s.median.rps / base)} of 10k) | ${s.median.p50} | ${s.median.p99} | ${s.median.errors} |`);
    }
  }
  const startRow = (what: string, starts: number[]) =>
    `| spawn → /readyz 200, ${what}, median of ${starts.length} | ${fmt(starts[Math.floor(starts.length / 2)]!)} ms (${fmt(starts[0]!)}–${fmt(starts[starts.length - 1]!)}) |`;
  lines.push(
    '',
    '| Other | value |',
    '|---|---:|',
    `| bare Fastify ceiling at 1,000 req/s offered (evenly paced): p99; server CPU-s/s | ${r.ceilingFixedRate.p99} ms; ${fmt(r.ceilingFixedRate.cpuPerSecond, 3)} |`,
    startRow('tracing off', r.spawnToReadyMs as number[]),
    startRow('traced, no compile cache', r.spawnToReadyTracedMs as number[]),
    startRow("traced, with the image's compile cache (as deployed)", r.spawnToReadyTracedCachedMs as number[]),
    ...(r.postgres ? [convergenceRow(r.postgres.convergenceMs as number[])] : []),
    `| idle RSS (traced, the image's compile cache: as deployed) | ${fmt(r.idleRssMiB, 1)} MiB |`,
    `| peak RSS during the runs | ${fmt(r.peakRssMiB, 1)} MiB |`,
    '',
    ...tracingTable(r.tracing as Record<string, TracingRun>, ceilingRps, r.ceilingFixedRate.cpuPerSecond as number),
  );
  return lines.join('\n');
}

/** The tracing settings side by side: the players' mix at 1,000 req/s, and GET /leaderboard at saturation. */
function tracingTable(runs: Record<string, TracingRun>, ceilingRps: number, ceilingCpuPerSecond: number): string[] {
  const untraced = Object.values(runs)[0]!.leaderboard.median.rps;
  const routes = Object.keys(Object.values(runs)[0]!.mix.routes);
  const lines = [
    `| Tracing setting | players' mix at 1,000 req/s: server CPU-s/s (× the ceiling's at that rate) | ${routes.map((route) => `${route} p99 ms`).join(' | ')} | GET /leaderboard at saturation, req/s (spread) | vs tracing off | vs ceiling | server CPU µs/request |`,
    `|---|---:|${routes.map(() => '---:|').join('')}---:|---:|---:|---:|`,
  ];
  for (const [name, run] of Object.entries(runs)) {
    const { median, rpsSpread } = run.leaderboard;
    const p99s = routes.map((route) => `${run.mix.routes[route]!.p99}${run.mix.routes[route]!.errors ? ` (${run.mix.routes[route]!.errors} errors)` : ''}`);
    lines.push(
      `| ${name} | ${fmt(run.mix.cpuPerSecond, 3)} (${fmt(run.mix.cpuPerSecond / ceilingCpuPerSecond, 1)}×) | ${p99s.join(' | ')} | ${fmt(median.rps)} (${fmt(rpsSpread[0])}–${fmt(rpsSpread[1])}) | ${pct(median.rps / untraced)} | ${pct(median.rps / ceilingRps)} | ${fmt(run.cpuMicrosPerRequest)} |`,
    );
  }
  return lines;
}

/** Cross-replica convergence: median, p95 and max of the samples (sorted). */
function convergenceRow(times: number[]): string {
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))]!;
  return `| PostgreSQL: a score on replica B's leaderboard after replica A's 201 (${times.length} samples) | median ${fmt(at(0.5), 1)} ms, p95 ${fmt(at(0.95), 1)} ms, max ${fmt(times[times.length - 1]!, 1)} ms |`;
}

await main();

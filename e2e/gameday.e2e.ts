import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { GameDayResult } from '../gameday/engine.ts';
import { deploy, type Deployment } from './support/deployment.ts';
import { setChaos } from './support/admin.ts';
import { Client } from './support/client.ts';

import { npmScriptArgs } from '../test/support/start-command.ts';

const ROOT = join(__dirname, '..');


const hasCluster = existsSync(process.env.KUBECONFIG ?? join(homedir(), '.kube', 'config')) && Boolean(process.env.BASE_URL) && Boolean(process.env.KUBE_CONTEXT);
const clusterIt = (name: string, fn: () => Promise<void>, timeout: number) =>
  hasCluster && (process.env.PROFILE ?? 'local') === 'local' ? it(name, fn, timeout) : it.skip(`${name} [skipped: needs the kind cluster of scripts/e2e-kind.sh, single-writer profile]`, fn);

/**
 * Scenario 8: a game day as a user runs one — `npm run gameday -- smoke` against the deployment (here
 * the manifests' processes with Debian's Prometheus and Alertmanager and the trace receiver; on kind the
 * port-forwarded cluster) with the e2e values' game-day SLO window. Its players play through the public
 * port, chaos hits only their cohort, and the report must say what happened and when.
 */
describe('a game day, end to end', () => {
  let d: Deployment;
  let reportDir: string;
  beforeAll(async () => {
    d = await deploy({ prometheus: true, alerts: true });
    reportDir = mkdtempSync(join(tmpdir(), 'gameday-e2e-'));
  });
  afterAll(async () => {
    if (d.adminToken) await setChaos(new Client(d), d.adminToken, { enabled: false }).catch(() => undefined);
    await d.stop();
    rmSync(reportDir, { recursive: true, force: true });
  });

  /** `npm run gameday -- <scenario>` against this deployment's addresses; the report goes to `dir`. */
  const gameday = async (scenario: string, dir: string, extra: string[] = []) => {
    const { prometheus, alertmanager, traces } = d.urls;
    if (!prometheus || !traces || !d.adminToken) throw new Error('PROMETHEUS_URL, JAEGER_URL and CHAOS_ADMIN_TOKEN are required for the game day');
    if (!alertmanager) console.warn('*** game day: no ALERTMANAGER_URL — delivery is NOT CHECKED ***');
    const args = [scenario, '--target', d.publicUrl, '--admin', d.adminUrl, '--prometheus', prometheus, '--alertmanager', alertmanager ?? '', '--jaeger', traces, '--report', dir, ...extra];
    const proc = spawn(process.execPath, npmScriptArgs('gameday', args), { cwd: ROOT, env: { ...process.env, CHAOS_ADMIN_TOKEN: d.adminToken }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    for (const stream of [proc.stdout, proc.stderr]) stream.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const [code] = await once(proc, 'exit');
    if (code !== 0) throw new Error(`npm run gameday -- ${scenario} exited ${code}:\n${output}`);
    return { output, result: JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as GameDayResult };
  };

  it('npm run gameday -- smoke passes: the page fires and clears in time, traces are found, and the report, timeline and chart are written', async () => {
    const { alertmanager } = d.urls;
    const { output } = await gameday('smoke', reportDir);
    expect(output).toMatch(/gameday: PASSED — TTD \d+\.\d s, TTR \d+\.\d s/);

    const result = JSON.parse(readFileSync(join(reportDir, 'report.json'), 'utf8')) as GameDayResult;
    expect(result).toMatchObject({ scenario: 'smoke', verdict: 'passed', reasons: [] });
    // The page must fire within the scenario's 40 s and clear within its 90 s; both were measured.
    expect(result.timeToDetectMs).toBeGreaterThan(0);
    expect(result.timeToDetectMs).toBeLessThanOrEqual(40_000);
    expect(result.timeToRecoverMs).toBeGreaterThan(0);
    expect(result.timeToRecoverMs).toBeLessThanOrEqual(90_000);
    const events = result.timeline.map((entry) => entry.event);
    for (const event of ['baseline', 'injected', 'first bad request', 'traces found', 'firing', 'fault stopped', 'resolved', 'ended']) expect(events).toContain(event);
    if (alertmanager) expect(result.alerts[0]).toMatchObject({ alert: 'DraftyBirdAvailabilityBudgetBurn{severity="page"}', receivers: ['page'] });

    const markdown = readFileSync(join(reportDir, 'report.md'), 'utf8');
    expect(markdown).toContain('# Game day: smoke — PASSED');
    for (const event of ['injected', 'first bad request', 'firing', 'fault stopped', 'resolved']) expect(markdown).toMatch(new RegExp(`\\| [+−]\\d+ s \\| ${event} \\|`));
    expect(markdown).toContain('](chart.svg)');
    expect(existsSync(join(reportDir, 'chart.svg'))).toBe(true);
    const svg = readFileSync(join(reportDir, 'chart.svg'), 'utf8');
    expect(svg).toMatch(/^<svg/);
    for (const text of ['Error ratio', 'p99 latency', 'Alert state', 'injected', 'fault stopped', 'DraftyBirdAvailabilityBudgetBurn (page)']) expect(svg).toContain(text);

    // The game day leaves chaos off behind it.
    const chaos = (await (await fetch(`${d.adminUrl}/chaos`, { headers: { authorization: `Bearer ${d.adminToken}` } })).json()) as { enabled: boolean };
    expect(chaos.enabled).toBe(false);
  }, 300_000);

  clusterIt("npm run gameday -- pod-kill: the single writer's pod is deleted, players' downtime is measured, and they are served again", async () => {
    const dir = join(reportDir, 'pod-kill');
    const { result } = await gameday('pod-kill', dir, ['--context', process.env.KUBE_CONTEXT as string]);
    expect(result).toMatchObject({ scenario: 'pod-kill', verdict: 'passed' });
    expect(result.playersDisruptionMs).toBeGreaterThan(0);
    expect(result.timeline.map((entry) => entry.event)).toEqual(expect.arrayContaining(['injected', 'first bad request', 'fault stopped']));
    expect((await fetch(`${d.publicUrl}/leaderboard`)).status).toBe(200);
  }, 600_000);
});

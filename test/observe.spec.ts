import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Agent } from 'undici';
import { fetchVia } from '../e2e/support/play.ts';
import { alertmanager, describeWithTool } from './support/required-tool.ts';
import { freePort } from './support/server-process.ts';
import { waitFor } from './support/wait.ts';

const ROOT = join(__dirname, '..');

/**
 * The Docker-free game day, as the README walks it: `npm run observe` (here its script after the suite's
 * build, on free ports, with a short hold so the test is quick), chaos errors on, players on the public
 * port — and the DraftyBirdHighErrorRate page printed by the webhook; Ctrl-C stops everything.
 */
describeWithTool('npm run observe', alertmanager(), () => {
  let proc: ChildProcess;
  let output = '';
  const ports: Record<string, number> = {};

  beforeAll(async () => {
    for (const name of ['app-port', 'public-port', 'prometheus-port', 'alertmanager-port', 'receiver-port', 'traces-port']) ports[name] = await freePort();
    const args = Object.entries(ports).flatMap(([name, port]) => [`--${name}`, String(port)]);
    proc = spawn(process.execPath, ['--experimental-strip-types', 'scripts/observe.ts', ...args, '--alert-for', '5s', '--scrape-interval', '2s'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    proc.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    proc.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await waitFor('observe to be ready', () => output.includes('observe: ready'), 60_000, 100).catch((error) => {
      throw new Error(`${(error as Error).message}\n${output}`);
    });
  }, 90_000);
  afterAll(async () => {
    if (proc.exitCode === null) {
      proc.kill('SIGKILL');
      await once(proc, 'exit');
    }
  });

  it('prints one line per URL, each of which answers', async () => {
    for (const [name, port] of [['Drafty Bird', ports['public-port']], ['Prometheus', ports['prometheus-port']], ['Alertmanager', ports['alertmanager-port']], ['Operators', ports['app-port']], ['Traces', ports['traces-port']]] as const) {
      const line = output.split('\n').find((l) => l.startsWith(name));
      expect(line).toContain(`http://127.0.0.1:${port}`);
      expect((await fetch(/(http:\/\/\S+)/.exec(line!)![1]!)).status).toBe(200);
    }
    expect(output).toMatch(/^Chaos token {2}export CHAOS_ADMIN_TOKEN=[0-9a-f]{48}$/m);
  });

  it('delivers the DraftyBirdHighErrorRate page to the printing webhook under chaos, with its runbook', async () => {
    const token = /CHAOS_ADMIN_TOKEN=([0-9a-f]+)/.exec(output)![1];
    const chaos = await fetch(`http://127.0.0.1:${ports['app-port']}/chaos`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ enabled: true, errorRate: 1, routes: ['/leaderboard'] }),
    });
    expect(chaos.status).toBe(200);
    const agent = new Agent({ keepAliveTimeout: 10_000 });
    const play = fetchVia(agent);
    try {
      await waitFor('the page to print', async () => {
        await Promise.all(Array.from({ length: 10 }, () => play(`http://127.0.0.1:${ports['public-port']}/leaderboard`).then((r) => r.arrayBuffer())));
        await sleep(200);
        return /\[FIRING\] page DraftyBirdHighErrorRate .*docs\/runbooks\/DraftyBirdHighErrorRate\.md/.test(output);
      }, 90_000, 0);
    } finally {
      await agent.close();
    }
    // The injected faults' traces, found the way Jaeger's query API finds them.
    const tags = encodeURIComponent(JSON.stringify({ 'chaos.type': 'error' }));
    const found = (await (await fetch(`http://127.0.0.1:${ports['traces-port']}/api/traces?service=drafty-bird&tags=${tags}&limit=5`)).json()) as { data: Array<{ spans: Array<{ operationName: string }> }> };
    expect(found.data.length).toBeGreaterThan(0);
    expect(found.data[0]!.spans.map((span) => span.operationName)).toContain('chaos.inject');
  }, 120_000);

  it('stops everything on Ctrl-C (SIGINT) and exits 0', async () => {
    proc.kill('SIGINT');
    const [code] = await once(proc, 'exit');
    expect(code).toBe(0);
    for (const port of Object.values(ports)) expect(await fetch(`http://127.0.0.1:${port}/`).then(() => 'open', () => 'closed')).toBe('closed');
  }, 30_000);
});

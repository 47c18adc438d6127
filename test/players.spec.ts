import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { freePort, type ServerProcess, startServer } from './support/server-process.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';

import { npmScriptArgs } from './support/start-command.ts';

const ROOT = join(__dirname, '..');


async function run(args: string[]): Promise<{ code: number | null; output: string }> {
  const proc = spawn(process.execPath, npmScriptArgs('players', args), { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  for (const stream of [proc.stdout, proc.stderr]) stream.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const [code] = await once(proc, 'exit');
  return { code: code as number | null, output };
}

describe('npm run players', () => {
  let server: ServerProcess;
  const dir = mkdtempSync(join(tmpdir(), 'players-'));
  beforeAll(async () => {
    // Chaos aimed at one cohort's game starts: only players sending that header value see it.
    server = await startServer({
      SCORE_DB_PATH: join(dir, 'db.sqlite'),
      PUBLIC_PORT: String(await freePort()),
      LOG_LEVEL: 'warn',
      CHAOS_ENABLED: 'true',
      CHAOS_ERROR_RATE: '1',
      CHAOS_ROUTES: '/game-start',
      CHAOS_HEADER: 'x-drafty-cohort=doomed',
    });
  });
  afterAll(async () => {
    server.proc.kill('SIGTERM');
    await server.exited;
    rmSync(dir, { recursive: true, force: true });
  });

  const play = (cohort: string) => run(['--target', server.publicUrl as string, '--players', '6', '--arrival-rate', '6', '--ramp', '0s', '--duration', '6s', '--metrics-port', '0', '--header', `x-drafty-cohort=${cohort}`, '--seed', '7']);
  const served = async (status: number) => Number(new RegExp(`http_requests_total\\{route="/game-start",method="POST",status="${status}"\\} (\\d+)`).exec(await (await fetch(`${server.url}/metrics`)).text())?.[1] ?? 0);

  it('plays against the public port for --duration, sending its cohort header on every request, then stops and exits 0', async () => {
    const untouched = await play('lucky');
    expect(untouched).toEqual({ code: 0, output: expect.stringMatching(/players: up to 6 playing against http:\/\/127\.0\.0\.1:\d+ .*\n[\s\S]*players: 0 playing, \d+ scores stored, [1-9]\d* requests, 0 failed — stopped\n$/) });
    expect(await served(202)).toBeGreaterThan(0);
    expect(await served(503)).toBe(0);

    const doomed = await play('doomed');
    expect(doomed.code).toBe(0);
    expect(doomed.output).toMatch(/players: 0 playing, 0 scores stored, ([1-9]\d*) requests, \1 failed — stopped\n$/);
    expect(await served(503)).toBeGreaterThan(0);
  }, 40_000);

  it('refuses a bad flag with the usage, exit 2, before sending anything', async () => {
    const { code, output } = await run(['--target', 'ftp://example.com']);
    expect(code).toBe(2);
    expect(output).toContain('players: --target must be an http(s) URL');
    expect(output).toContain('usage: npm run players -- --target URL [options]');
  });
});

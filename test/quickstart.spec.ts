import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { freePort } from './support/server-process.ts';
import { waitFor } from './support/wait.ts';
import { postPlayedScore } from '../e2e/support/play.ts';

const ROOT = join(__dirname, '..');

/** The first command block of the README's quick start, verbatim. */
function quickStartCommand(readme = readFileSync(join(ROOT, 'README.md'), 'utf8')): string {
  const section = readme.slice(readme.indexOf('## Quick start'));
  const block = /```sh\n([\s\S]*?)\n```/.exec(section)?.[1];
  if (!block) throw new Error('README.md has no ```sh block under "## Quick start"');
  return block.trim();
}

/** A shell as a newcomer has it: the machine's own node first, no npm or toolchain variables inherited. */
function freshShellEnv(port: number): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^(npm_|NODE_OPTIONS$|INIT_CWD$)/i.test(key)));
  const path = (process.env.PATH ?? '').split(':').filter((dir) => !dir.includes('/drafty-bird/node24/'));
  return { ...env, PATH: path.join(':'), PORT: String(port) };
}

/** The project as a fresh clone has it: tracked and new files, none of the ignored ones (node_modules, dist). */
function cloneInto(dir: string): void {
  const files = execFileSync('git', ['ls-files', '-co', '--exclude-standard', '-z'], { cwd: ROOT, encoding: 'utf8' }).split('\0').filter(Boolean);
  for (const file of files) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    cpSync(join(ROOT, file), join(dir, file), { errorOnExist: false, force: true });
  }
}

const systemNodeMajor = () => Number(spawnSync('node', ['-p', 'process.versions.node.split(".")[0]'], { env: freshShellEnv(0), encoding: 'utf8' }).stdout.trim() || 0);

/**
 * The README's quick start, run as written in a fresh copy on this machine's own Node (Node 20 on these
 * machines): it must bring the game up, or stop at once saying what to run.
 */
describe('the README quick start, on this machine as it is', () => {
  let dir: string;
  let shell: ChildProcess | undefined;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'drafty-bird-quickstart-'));
    cloneInto(dir);
  });
  afterAll(async () => {
    // Whatever the quick start left running (a failed test), the whole process group goes.
    if (shell?.pid) {
      try {
        process.kill(-shell.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('plain `npm ci` on a Node older than 24 stops at once, before installing anything', () => {
    const major = systemNodeMajor();
    if (major >= 24) {
      console.warn(`quick start: this machine's node is ${major}; the old-Node refusal cannot be exercised here`);
      return;
    }
    const result = spawnSync('npm', ['ci'], { cwd: dir, env: freshShellEnv(0), encoding: 'utf8', timeout: 60_000 });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('EBADDEVENGINES');
    expect(spawnSync('test', ['-e', join(dir, 'node_modules')]).status).not.toBe(0);
  });

  it('the first command line brings the game up, serves a score, and Ctrl-C stops it cleanly', async () => {
    const command = quickStartCommand();
    expect(command.split('\n')).toHaveLength(1);
    const port = await freePort();
    const output: string[] = [];
    shell = spawn('bash', ['-c', command], { cwd: dir, env: freshShellEnv(port), detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    shell.stdout?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    shell.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    const exited = once(shell, 'exit');
    let gone = false;
    void exited.then(() => (gone = true));
    const url = `http://127.0.0.1:${port}`;
    await waitFor('the quick start to serve the game', async () => {
      if (gone) throw new Error(`the quick start ended:\n${output.join('').slice(-4000)}`);
      return fetch(`${url}/readyz`).then((res) => res.ok, () => false);
    }, 400_000);
    expect((await fetch(`${url}/`)).status).toBe(200);
    const score = await postPlayedScore(url, { player: 'Newcomer', score: 0 });
    expect(score.status).toBe(201);
    // The line a person waits for in the terminal (written as the service becomes ready, not before).
    await waitFor('the ready line in the terminal', () => output.join('').includes(`drafty-bird ready → http://localhost:${port}`), 5_000);

    // Ctrl-C: SIGINT to the whole foreground process group, as a terminal sends it.
    process.kill(-shell.pid!, 'SIGINT');
    await exited;
    expect(output.join('')).toContain('shutdown complete');
  }, 480_000);
});

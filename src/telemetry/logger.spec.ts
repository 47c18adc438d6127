import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor } from '../../test/support/wait.ts';
import { createLogger, LOG_OUTPUT, logOutput } from './logger.ts';

const LOGGER_MODULE = join(import.meta.dirname, 'logger.ts');

/** Runs `body` as an ES module in a child process with `createLogger`, `logOutput` and `droppedLogLines` in scope. */
function childScript(dir: string, body: string): string {
  const file = join(dir, `child-${Math.random().toString(36).slice(2)}.mts`);
  writeFileSync(file, `import { createLogger, droppedLogLines, logOutput } from ${JSON.stringify(LOGGER_MODULE)};\n${body}\n`);
  return file;
}

const linesOf = (text: string) =>
  text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);

describe('log output (stdout as the service writes it)', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'drafty-bird-log-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes a lone line of a quiet server without waiting for the buffer to fill', async () => {
    const file = join(dir, 'quiet.log');
    const output = logOutput(openSync(file, 'w'));
    const logger = createLogger('info', output);
    try {
      logger.info({ request_id: 'quiet-1' }, 'request completed');
      // Far below LOG_OUTPUT.minBytes: only the periodic flush writes it.
      await waitFor('the line in the file', () => readFileSync(file, 'utf8').includes('quiet-1'), 5_000, 20);
      expect(linesOf(readFileSync(file, 'utf8'))).toEqual([expect.objectContaining({ level: 'info', request_id: 'quiet-1', msg: 'request completed' })]);
    } finally {
      output.end(); // also closes the file
      await once(output, 'close');
    }
  });

  it.each([
    ['an uncaught error', "throw new Error('boom');", 1],
    ['process.exit', 'process.exit(3);', 3],
  ])('writes every pending line when the process ends with %s', (_name, ending, status) => {
    const script = childScript(dir, `const logger = createLogger('info');\nfor (let i = 0; i < 5; i++) logger.info({ i }, 'pending');\n${ending}`);
    const child = spawnSync(process.execPath, [script], { encoding: 'utf8', timeout: 20_000 });
    expect(child.status).toBe(status);
    expect(linesOf(child.stdout).map((line) => line.i)).toEqual([0, 1, 2, 3, 4]);
  });

  it('drops and counts lines, instead of growing, while nobody reads stdout; writes again once read', async () => {
    const line = 'x'.repeat(1_000);
    const count = Math.ceil((3 * LOG_OUTPUT.maxBytes) / line.length);
    const script = childScript(
      dir,
      [
        "const logger = createLogger('info');",
        'const before = process.memoryUsage().heapUsed;',
        `for (let i = 0; i < ${count}; i++) logger.info({ i }, ${JSON.stringify(line)});`,
        'globalThis.gc?.();',
        'process.stderr.write(JSON.stringify({ dropped: droppedLogLines(), grewBytes: process.memoryUsage().heapUsed - before }) + "\\n");',
        "process.stdin.once('data', () => logger.info({ after: true }, 'read again'));",
      ].join('\n'),
    );
    // stdout is a pipe the test does not read until the child has reported.
    const child = spawn(process.execPath, ['--expose-gc', script], { stdio: ['pipe', 'pipe', 'pipe'] });
    child.stdout.pause();
    const [report] = (await once(child.stderr, 'data')) as [Buffer];
    const { dropped, grewBytes } = JSON.parse(report.toString()) as { dropped: number; grewBytes: number };
    // Three times the bound was logged: about two thirds of it dropped; what is kept stays near the bound.
    expect(dropped).toBeGreaterThan(count / 2);
    expect(grewBytes).toBeLessThan(2 * LOG_OUTPUT.maxBytes);
    const chunks: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.stdout.resume();
    child.stdin.write('go\n');
    const text = () => Buffer.concat(chunks).toString('utf8');
    await waitFor('the line logged after the reader came back', () => text().includes('"after":true'), 30_000);
    child.kill('SIGKILL');
    await once(child, 'close');
    const written = linesOf(text().slice(0, text().lastIndexOf('\n')));
    expect(written.length).toBeLessThan(count);
    expect(written.at(-1)).toEqual(expect.objectContaining({ after: true, msg: 'read again' }));
  }, 60_000);
});

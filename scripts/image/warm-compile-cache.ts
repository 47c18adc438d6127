/**
 * Build-time step of the Dockerfile: runs the image's own start command (its CMD, read from the
 * Dockerfile) once, traced like a pod, with NODE_COMPILE_CACHE pointing at the folder the runtime stage
 * ships, until the service says it is ready — then stops it. Every later start reads the compiled code
 * from that cache instead of compiling each module again (measured in bench/RESULTS.md).
 *
 *   node scripts/image/warm-compile-cache.ts <Dockerfile> <cache dir>
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { imageCommand } from './image-command.ts';

const [dockerfile, cacheDir] = process.argv.slice(2);
if (!dockerfile || !cacheDir) throw new Error('usage: warm-compile-cache.ts <Dockerfile> <cache dir>');

const [program, ...args] = imageCommand(dockerfile);
if (program !== 'node') throw new Error(`the CMD starts ${program}, not node`);

const data = mkdtempSync(join(tmpdir(), 'warm-'));
const proc = spawn(process.execPath, args, {
  env: {
    PATH: process.env.PATH,
    NODE_COMPILE_CACHE: cacheDir,
    PORT: '0',
    HOST: '127.0.0.1',
    SCORE_DB_PATH: join(data, 'db.sqlite'),
    SHUTDOWN_DELAY_MS: '0',
    // Traced like a pod, so the exporter's modules are cached too; nothing listens there.
    OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9',
  },
  stdio: ['ignore', 'pipe', 'inherit'],
});
const exited = once(proc, 'exit');
const timer = setTimeout(() => proc.kill('SIGKILL'), 60_000);
for await (const line of createInterface({ input: proc.stdout! })) {
  if (line.includes('"msg":"drafty-bird ready')) {
    proc.kill('SIGTERM');
    break;
  }
}
const [code] = await exited;
clearTimeout(timer);
const entries = readdirSync(cacheDir, { recursive: true }).length;
if (code !== 0 || entries === 0) throw new Error(`warm-up start exited ${code} with ${entries} cache entries`);
process.stdout.write(`warm-compile-cache: ${entries} entries in ${cacheDir}\n`);

/**
 * Part of `npm run build`: writes dist/build-info.json — the version (package.json), the commit
 * (GIT_COMMIT, else this checkout's HEAD, else "unknown": the image build has no .git and gets it as a
 * build argument) and the build time (SOURCE_DATE_EPOCH when set, for reproducible builds; else now).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..');

function commit(): string {
  if (process.env.GIT_COMMIT && process.env.GIT_COMMIT !== 'unknown') return process.env.GIT_COMMIT;
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return 'unknown';
  }
}

const epoch = Number(process.env.SOURCE_DATE_EPOCH);
const builtAt = (Number.isFinite(epoch) && epoch > 0 ? new Date(epoch * 1000) : new Date()).toISOString();
const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
mkdirSync(join(ROOT, 'dist'), { recursive: true });
writeFileSync(join(ROOT, 'dist', 'build-info.json'), `${JSON.stringify({ version, commit: commit(), builtAt })}\n`);

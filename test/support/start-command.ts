import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { imageCommand as readImageCommand } from '../../scripts/image/image-command.ts';

/** The repository's Dockerfile, as jest (CommonJS) sees it; Node-run scripts (bench/) pass their own path. */
const defaultDockerfile = () => join(__dirname, '..', '..', 'Dockerfile');

/** The image's `CMD` (see scripts/image/image-command.ts): every process test spawns exactly it. */
export function imageCommand(dockerfile = defaultDockerfile()): string[] {
  return readImageCommand(dockerfile);
}

/** The image's CMD as this machine runs it: `node` is the node running the tests. */
export function startArgs(dockerfile = defaultDockerfile()): string[] {
  const [program, ...args] = imageCommand(dockerfile);
  if (program !== 'node') throw new Error(`the image's CMD starts ${program}, not node`);
  return args;
}

/**
 * An npm script that runs `node …` (package.json's `players`, `gameday`), as this machine runs it with
 * `args` after `--`: `node` is the node running the tests.
 */
export function npmScriptArgs(script: string, args: readonly string[] = []): string[] {
  const scripts = (JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
  const [program, ...rest] = (scripts[script] ?? '').split(' ');
  if (program !== 'node') throw new Error(`npm run ${script} starts ${program || 'nothing'}, not node`);
  return [...rest, ...args];
}

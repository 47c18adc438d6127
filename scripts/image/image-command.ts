import { readFileSync } from 'node:fs';

/**
 * The service's start command is written once, as the Dockerfile's exec-form `CMD`: the container runs
 * it, `npm start` must say the same, the tests spawn it, and the image build warms the compile cache
 * with it. This reads it back.
 */
export function imageCommand(dockerfile: string): string[] {
  const cmd = readFileSync(dockerfile, 'utf8')
    .split('\n')
    .filter((line) => /^CMD\s+\[/.test(line))
    .at(-1);
  if (!cmd) throw new Error(`${dockerfile} has no exec-form CMD`);
  return JSON.parse(cmd.replace(/^CMD\s+/, '')) as string[];
}

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PORTS } from '../src/surface.ts';
import { imageCommand } from './support/start-command.ts';

describe('the start command, written once', () => {
  it('npm start runs exactly the image CMD (the process tests spawn that same command)', () => {
    const scripts = (JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
    expect(scripts.start).toBe(imageCommand().join(' '));
  });

  it('the image listens and exposes the ports the surface names', () => {
    const dockerfile = readFileSync(join(__dirname, '..', 'Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(new RegExp(`^\\s+PORT=${PORTS.main} \\\\$`, 'm'));
    expect(dockerfile).toMatch(new RegExp(`^\\s+PUBLIC_PORT=${PORTS.public} \\\\$`, 'm'));
    expect(dockerfile).toMatch(new RegExp(`^EXPOSE ${PORTS.main} ${PORTS.public}$`, 'm'));
  });
});

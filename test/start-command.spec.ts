import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { imageCommand } from './support/start-command.js';

describe('the start command, written once', () => {
  it('npm start runs exactly the image CMD (the process tests spawn that same command)', () => {
    const scripts = (JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
    expect(scripts.start).toBe(imageCommand().join(' '));
  });
});

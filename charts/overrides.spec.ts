import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { parseSetValue, readValuesFile, resolveValues, setsToTree, ValuesError } from './overrides.ts';
import { examplesFile } from './testing/example-values.ts';
import { parseAllDocuments } from 'yaml';

describe('values overrides', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'drafty-values-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('types --set values as Helm does', () => {
    expect(parseSetValue('true')).toBe(true);
    expect(parseSetValue('42')).toBe(42);
    expect(parseSetValue('0.25')).toBe(0.25);
    expect(parseSetValue('null')).toBeNull();
    expect(parseSetValue('{/score,/leaderboard}')).toEqual(['/score', '/leaderboard']);
    expect(parseSetValue('v1.2.3')).toBe('v1.2.3');
    expect(setsToTree(['a.b=1', 'a.c=x', 'd=true'])).toEqual({ a: { b: 1, c: 'x' }, d: true });
  });

  it('applies profile, then files in order, then --set', () => {
    const file = join(dir, 'values.yaml');
    writeFileSync(file, 'image:\n  tag: 1.0.0\nstorage:\n  size: 2Gi\nchaos:\n  routes: [/score]\n');
    const json = join(dir, 'values.json');
    writeFileSync(json, JSON.stringify({ storage: { size: '3Gi' } }));
    const site = readValuesFile(examplesFile('aws'));
    const values = resolveValues('aws', [site, readValuesFile(file), readValuesFile(json)], ['image.tag=1.0.1', 'chaos.errorRate=0.5']);
    expect(values.image).toMatchObject({ tag: '1.0.1', repository: 'ghcr.io/drafty-bird/drafty-bird' });
    expect(values.storage).toEqual({ storageClassName: 'efs-sc', size: '3Gi', accessMode: 'ReadWriteOnce', efsFileSystemId: 'fs-0123456789abcdef0' });
    expect(values.chaos).toMatchObject({ routes: ['/score'], errorRate: 0.5 });
  });

  it.each([
    [['imgae.tag=1'], 'imgae: unknown key'],
    [['image.tga=1'], 'image.tga: unknown key'],
    [['image.tag=latest'], 'image.tag: must be a pinned release tag'],
    [['storage.size=lots'], 'storage.size: must be a Kubernetes quantity'],
    [['chaos.errorRate=2'], 'chaos.errorRate'],
    [['app.trustProxy=yes'], 'app.trustProxy'],
    [['exposure.type=loadBalancer'], 'exposure.type'],
    [['app.uid=0'], 'app.uid'],
  ])('rejects --set %j naming the key', (sets, message) => {
    expect(() => resolveValues('local', [], sets)).toThrow(ValuesError);
    expect(() => resolveValues('local', [], sets)).toThrow(message);
  });

  it('validates the app settings with the parser the service itself runs at start', () => {
    expect(() => resolveValues('local', [], ['app.rateLimitPerMinute=2000000'])).toThrow(
      'app.rateLimitPerMinute: the service refuses RATE_LIMIT_PER_MINUTE must be an integer from 0 (off) to 1000000 (got "2000000")',
    );
    // Whatever LOG_LEVEL accepts, app.logLevel accepts: the same list.
    expect(resolveValues('local', [], ['app.logLevel=silent']).app.logLevel).toBe('silent');
  });

  it('rejects a values file that is not a map', () => {
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, '- a\n- b\n');
    expect(() => readValuesFile(file)).toThrow(/must hold a map/);
  });

  it('works end to end on the command line, like helm template', () => {
    const file = join(dir, 'values.yaml');
    writeFileSync(file, 'app:\n  logLevel: debug\n');
    const run = (...args: string[]) =>
      spawnSync(process.execPath, ['--experimental-strip-types', join(__dirname, 'main.ts'), ...args], { encoding: 'utf8' });
    const ok = run('--env', 'local', '-f', file, '--set', 'image.tag=2.0.0', '--out', '-');
    expect(ok.status).toBe(0);
    expect(ok.stdout).toContain('image: ghcr.io/drafty-bird/drafty-bird:2.0.0');
    expect(ok.stdout).toContain('value: debug');
    const bad = run('--env', 'local', '--set', 'image.nope=1', '--out', '-');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('image.nope: unknown key');
  });

  it('answers --help, a missing values file, bad YAML and an unknown flag with a message, never a stack trace', () => {
    const run = (...args: string[]) =>
      spawnSync(process.execPath, ['--experimental-strip-types', join(__dirname, 'main.ts'), ...args], { encoding: 'utf8' });
    const help = run('--help');
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^usage: npm run --silent synth/);
    writeFileSync(join(dir, 'bad.yaml'), 'a: [b\n');
    for (const args of [['-f', join(dir, 'missing.yaml'), '--out', '-'], ['-f', join(dir, 'bad.yaml'), '--out', '-'], ['--bogus']]) {
      const result = run(...args);
      expect(result.status).toBe(2);
      expect(result.stderr).toContain('usage: npm run --silent synth');
      expect(result.stderr).not.toMatch(/^\s+at /m);
    }
  });

  it('refuses overrides without --out instead of overwriting the committed k8s/', () => {
    const committed = readFileSync(join(__dirname, '..', 'k8s', 'local', 'drafty-bird.yaml'), 'utf8');
    const result = spawnSync(process.execPath, ['--experimental-strip-types', join(__dirname, 'main.ts'), '--env', 'local', '--set', 'image.tag=9.9.9'], {
      encoding: 'utf8',
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('--out');
    expect(readFileSync(join(__dirname, '..', 'k8s', 'local', 'drafty-bird.yaml'), 'utf8')).toBe(committed);
  });

  it('prints nothing but YAML with --out - when run the way the README says (npm run --silent synth)', () => {
    const result = spawnSync('npm', ['run', '--silent', 'synth', '--', '--env', 'local', '--out', '-'], { cwd: join(__dirname, '..'), encoding: 'utf8' });
    expect(result.status).toBe(0);
    expect(result.stdout.startsWith('# Generated by `npm run synth`')).toBe(true);
    expect(() => parseAllDocuments(result.stdout).map((doc) => doc.toJSON())).not.toThrow();
    expect(readFileSync(join(__dirname, '..', 'README.md'), 'utf8')).not.toMatch(/npm run synth -- [^\n]*--out -/);
  });
});

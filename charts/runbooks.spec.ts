import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { describeWithTool, promtool } from '../test/support/required-tool.ts';
import { alertRules, RUNBOOKS_URL } from './observability/prometheus-config.ts';

const DIR = join(__dirname, '..', 'docs', 'runbooks');
const SECTIONS = ['## What it means', '## Confirm', '## Mitigate', '## Verify recovery'];
const alertNames = [...new Set(alertRules().map((rule) => rule.alert))];
const read = (file: string) => readFileSync(join(DIR, file), 'utf8');

/** Every alert links to a real runbook in the repository, and every runbook is usable as written. */
describe('the runbooks', () => {
  it.each(alertNames)('%s: its runbook_url is docs/runbooks/<alert>.md, which says what it means, how to confirm, mitigate and verify', (alert) => {
    for (const rule of alertRules().filter((r) => r.alert === alert)) expect(rule.annotations.runbook_url).toBe(`${RUNBOOKS_URL}/${alert}.md`);
    expect(existsSync(join(DIR, `${alert}.md`))).toBe(true);
    const text = read(`${alert}.md`);
    expect(text.startsWith(`# ${alert}\n`)).toBe(true);
    const at = SECTIONS.map((heading) => text.indexOf(`\n${heading}\n`));
    expect(at.every((index) => index > 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
  });

  it('has a page for every alert and none for an alert that does not exist; the index lists them all', () => {
    const pages = readdirSync(DIR).filter((f) => f !== 'README.md').map((f) => f.replace(/\.md$/, ''));
    expect(pages.sort()).toEqual([...alertNames].sort());
    for (const alert of alertNames) expect(read('README.md')).toContain(`[${alert}.md](${alert}.md)`);
  });

  it('links only to pages and headings that exist', () => {
    const slug = (heading: string) => heading.toLowerCase().replace(/[^a-z0-9 -]/g, '').replace(/ /g, '-');
    for (const file of readdirSync(DIR)) {
      for (const [, target, anchor] of read(file).matchAll(/\]\(([A-Za-z]+\.md)(?:#([a-z0-9-]+))?\)/g)) {
        expect(`${file} → ${target}: ${existsSync(join(DIR, target as string))}`).toBe(`${file} → ${target}: true`);
        if (anchor) {
          const headings = [...read(target as string).matchAll(/^#+ (.+)$/gm)].map(([, h]) => slug(h as string));
          expect(`${file} → ${target}#${anchor}: ${headings.includes(anchor)}`).toBe(`${file} → ${target}#${anchor}: true`);
        }
      }
    }
  });
});

describeWithTool('the runbooks’ queries', promtool(), () => {
  it('are valid PromQL (promtool parses each as a recording rule)', () => {
    const queries = readdirSync(DIR).flatMap((file) => [...read(file).matchAll(/```promql\n([\s\S]*?)```/g)].flatMap(([, block]) => (block as string).trim().split('\n')));
    expect(queries.length).toBeGreaterThan(15);
    const dir = mkdtempSync(join(tmpdir(), 'drafty-runbooks-'));
    try {
      const rules = { groups: [{ name: 'runbooks', rules: queries.map((expr, i) => ({ record: `runbook_query_${i}`, expr })) }] };
      writeFileSync(join(dir, 'queries.yml'), stringify(rules));
      const result = spawnSync('promtool', ['check', 'rules', join(dir, 'queries.yml')], { encoding: 'utf8' });
      expect(`${result.status} ${result.stdout}${result.stderr}`).toMatch(/^0 .*SUCCESS/s);
      // …and the check can fail.
      writeFileSync(join(dir, 'broken.yml'), stringify({ groups: [{ name: 'x', rules: [{ record: 'x', expr: 'sum(rate(x[5m])' }] }] }));
      expect(spawnSync('promtool', ['check', 'rules', join(dir, 'broken.yml')]).status).not.toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { appEnvironmentProblems, scaleOutProblems } from './app-environment.ts';
import { type Environment, LOCAL, PROFILES, siteValueProblems, type Values, valuesSchema } from './values.ts';

export class ValuesError extends Error {
  readonly problems: string[];

  constructor(problems: string[]) {
    super(`Invalid values:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ValuesError';
    this.problems = problems;
  }
}

type Tree = Record<string, unknown>;
const isTree = (value: unknown): value is Tree => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Helm's merge: maps merge key by key, everything else (lists included) is replaced. */
export function deepMerge(base: Tree, override: Tree): Tree {
  const merged: Tree = { ...base };
  for (const [key, value] of Object.entries(override)) {
    merged[key] = isTree(value) && isTree(base[key]) ? deepMerge(base[key] as Tree, value) : value;
  }
  return merged;
}

/** `--set a.b=c` values typed as Helm does: true/false, null, numbers, `{x,y}` lists, else strings. */
export function parseSetValue(text: string): unknown {
  if (text === 'true' || text === 'false') return text === 'true';
  if (text === 'null') return null;
  if (/^-?\d+(\.\d+)?$/.test(text)) return Number(text);
  if (/^\{.*\}$/.test(text)) return text.slice(1, -1).split(',').filter(Boolean).map(parseSetValue);
  return text;
}

/** Turns `["a.b=1", "c=x"]` into `{ a: { b: 1 }, c: "x" }`. */
export function setsToTree(sets: readonly string[]): Tree {
  let tree: Tree = {};
  for (const assignment of sets) {
    const at = assignment.indexOf('=');
    if (at <= 0) throw new ValuesError([`--set ${assignment}: expected key=value`]);
    const path = assignment.slice(0, at).split('.');
    if (path.some((part) => part === '')) throw new ValuesError([`--set ${assignment}: empty key segment`]);
    const leaf = path.reduceRight<unknown>((value, key) => ({ [key]: value }), parseSetValue(assignment.slice(at + 1)));
    tree = deepMerge(tree, leaf as Tree);
  }
  return tree;
}

/** A values file, YAML or JSON (JSON is YAML). */
export function readValuesFile(path: string): Tree {
  const parsed: unknown = parseYaml(readFileSync(path, 'utf8'));
  if (parsed === null || parsed === undefined) return {};
  if (!isTree(parsed)) throw new ValuesError([`${path}: must hold a map of values`]);
  return parsed;
}

function describe(error: z.ZodError): string[] {
  return error.issues.map((issue) => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => `${[...issue.path, key].join('.')}: unknown key`).join('; ');
    }
    return `${issue.path.join('.') || '(root)'}: ${issue.message}`;
  });
}

/** Profile, then each values file in order, then each --set, then validation of the whole. */
export function resolveValues(env: Environment, files: readonly Tree[] = [], sets: readonly string[] = []): Values {
  let tree = deepMerge(LOCAL as unknown as Tree, PROFILES[env] as Tree);
  for (const file of files) tree = deepMerge(tree, file);
  tree = deepMerge(tree, setsToTree(sets));
  const result = valuesSchema.safeParse(tree);
  if (!result.success) throw new ValuesError(describe(result.error));
  const problems = [...siteValueProblems(env, result.data), ...appEnvironmentProblems(result.data), ...scaleOutProblems(result.data)];
  if (problems.length) throw new ValuesError(problems);
  return result.data;
}

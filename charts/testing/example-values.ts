import { join } from 'node:path';
import { readValuesFile, resolveValues } from '../overrides.ts';
import type { Environment, Values } from '../values.ts';

/** The example site values file of a cloud environment (charts/examples/<env>.yaml). */
export const examplesFile = (env: Environment) => join(__dirname, '..', 'examples', `${env}.yaml`);

/**
 * Values as a user renders them: the local profile as committed; aws and azure with the example site
 * values, which they refuse to render without.
 */
export function exampleValues(env: Environment, sets: readonly string[] = []): Values {
  return resolveValues(env, env === 'local' ? [] : [readValuesFile(examplesFile(env))], sets);
}

import { join } from 'node:path';
import { readValuesFile, resolveValues } from '../overrides.ts';
import { COMMITTED_ENVIRONMENTS, ENVIRONMENTS, type Environment, type Values } from '../values.ts';

/** The example site values file of a cloud environment (charts/examples/<env>.yaml). */
export const examplesFile = (env: Environment) => join(__dirname, '..', 'examples', `${env}.yaml`);

/** A cloud's example of switching to PostgreSQL (charts/examples/<env>-postgres.yaml), layered on its site values. */
export const postgresExampleFile = (env: Environment) => join(__dirname, '..', 'examples', `${env}-postgres.yaml`);

/**
 * Values as a user renders them: the kind profiles as committed; aws and azure with the example site
 * values, which they refuse to render without (and, with `postgres`, their PostgreSQL example on top).
 */
export function exampleValues(env: Environment, sets: readonly string[] = [], options: { postgres?: boolean } = {}): Values {
  if (COMMITTED_ENVIRONMENTS.includes(env)) return resolveValues(env, [], sets);
  const files = [examplesFile(env), ...(options.postgres ? [postgresExampleFile(env)] : [])];
  return resolveValues(env, files.map(readValuesFile), sets);
}

/** Every way the chart is rendered in the tests: each environment, and each cloud in PostgreSQL mode. */
export const RENDERINGS: ReadonlyArray<{ name: string; env: Environment; postgres: boolean }> = [
  ...ENVIRONMENTS.map((env) => ({ name: env, env, postgres: env === 'local-ha' })),
  { name: 'aws (postgres)', env: 'aws', postgres: true },
  { name: 'azure (postgres)', env: 'azure', postgres: true },
];

/** The values of one rendering, with `sets` on top. */
export const renderingValues = (r: (typeof RENDERINGS)[number], sets: readonly string[] = []): Values => exampleValues(r.env, sets, { postgres: r.postgres });

/**
 * `npm run synth` → k8s/local/ and k8s/local-ha/ (drafty-bird.yaml) and compose/prometheus/* and compose/alertmanager/*. The clouds need site values:
 * `npm run --silent synth -- --env aws -f my-aws.yaml --out k8s` (or `--out -`).
 * Like `helm template`: `npm run --silent synth -- --env aws -f my-values.yaml --set image.tag=1.2.3 --out -`
 * renders one environment with overrides (to stdout with `--out -`).
 */
import { parseArgs } from 'node:util';
import { join } from 'node:path';
import { readValuesFile, resolveValues, ValuesError } from './overrides.ts';
import { composeAlertmanagerFiles, composeGrafanaFiles, composePrometheusFiles, dashboardFiles, synthesize, toYaml, writeFiles } from './synth.ts';
import { COMMITTED_ENVIRONMENTS, ENVIRONMENTS, type Environment } from './values.ts';

const ROOT = join(import.meta.dirname, '..');

const USAGE = `usage: npm run --silent synth [-- [--env local|local-ha|aws|azure]… [-f values.yaml]… [--set key=value]… [--out DIR|-]]
  no arguments: writes k8s/local/, k8s/local-ha/, compose/prometheus/, compose/alertmanager/ and dashboards/ (what is committed)
  --env aws|azure need a site values file (-f; see charts/examples/) and --out`;

function parseCommandLine() {
  try {
    return parseArgs({
      options: {
        env: { type: 'string', multiple: true },
        values: { type: 'string', short: 'f', multiple: true },
        set: { type: 'string', multiple: true },
        out: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }).values;
  } catch (error) {
    throw new ValuesError([(error as Error).message]);
  }
}

/** A values file that cannot be read or parsed is a problem to name, not a stack trace. */
function readValues(path: string) {
  try {
    return readValuesFile(path);
  } catch (error) {
    if (error instanceof ValuesError) throw error;
    throw new ValuesError([`-f ${path}: ${(error as Error).message.split('\n')[0]}`]);
  }
}

function main(): void {
  const args = parseCommandLine();
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if ((args.set?.length || args.values?.length) && !args.out) {
    // k8s/<env>/ holds the profiles as committed; a custom rendering must go somewhere else.
    throw new ValuesError(['--set and -f render a custom deployment: add --out DIR, or --out - for stdout (k8s/ holds the committed profiles only)']);
  }
  // Only the kind profiles are committed (k8s/local, k8s/local-ha); the clouds need a site values file and an explicit --env.
  const envs = (args.env ?? COMMITTED_ENVIRONMENTS) as Environment[];
  for (const env of envs) {
    if (!ENVIRONMENTS.includes(env)) throw new ValuesError([`--env ${env}: expected one of ${ENVIRONMENTS.join(', ')}`]);
  }
  const files = (args.values ?? []).map(readValues);
  for (const env of envs) {
    const yaml = toYaml(synthesize(resolveValues(env, files, args.set ?? [])));
    if (args.out === '-') process.stdout.write(yaml);
    else writeFiles(join(args.out ?? join(ROOT, 'k8s'), env), { 'drafty-bird.yaml': yaml });
  }
  if (!args.out) {
    writeFiles(join(ROOT, 'compose', 'prometheus'), composePrometheusFiles());
    writeFiles(join(ROOT, 'compose', 'alertmanager'), composeAlertmanagerFiles());
    writeFiles(join(ROOT, 'dashboards'), dashboardFiles());
    writeFiles(join(ROOT, 'compose', 'grafana'), composeGrafanaFiles());
  }
}

try {
  main();
} catch (error) {
  if (!(error instanceof ValuesError)) throw error;
  process.stderr.write(`${error.message}\n${USAGE}\n`);
  process.exit(2);
}

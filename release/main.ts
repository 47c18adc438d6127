/**
 * `npm run release -- …` (see USAGE in command.ts and the README's "Releasing"): render with the
 * chart, then release through the cluster the user named, keeping or restoring, with a history.
 */
import { type KubernetesObject } from '@kubernetes/client-node';
import ms from 'ms';
import { parseAllDocuments } from 'yaml';
import { imageReference } from '../charts/constructs/app-workload.ts';
import { readValuesFile, resolveValues, ValuesError } from '../charts/overrides.ts';
import { RELEASE_GATES } from '../charts/observability/release-gates.ts';
import { synthesize, toYaml } from '../charts/synth.ts';
import type { Values } from '../charts/values.ts';
import { connect } from './cluster.ts';
import { type Command, parseCommand, Refused, USAGE } from './command.ts';
import { assertReachable } from './gates.ts';
import { historyTable, rollbackTarget } from './history.ts';
import { release, type ReleaseRequest } from './release.ts';

const log = (line: string) => process.stdout.write(`${line}\n`);

async function main(command: Command): Promise<number> {
  const values = resolveValues(command.env, command.valuesFiles.map(readValuesFile), command.sets);
  const cluster = connect(command.context);
  if (command.action === 'history') {
    for (const line of historyTable(await cluster.history(values.namespace))) log(line);
    return 0;
  }
  const what = command.action === 'rollback' ? await rollbackRelease(command, values, cluster) : freshRelease(values);
  if (values.database.engine === 'sqlite') await assertReachable(command.prometheusUrl);
  const policy = policyOf(command, values);
  const result = await release({ ...what, cluster, namespace: values.namespace, policy, gates: gatesOf(command, values), rolloutDeadlineMs: rolloutDeadline(command, values), log });
  log('');
  log(result.kept ? `release ${result.revision} kept.` : `release ${result.revision} FAILED and was rolled back to what ran before:`);
  if (!result.kept) for (const line of result.lines) log(`  ${line}`);
  return result.kept ? 0 : 1;
}

type Rendered = Pick<ReleaseRequest, 'manifests' | 'yaml' | 'image' | 'description'>;

function freshRelease(values: Values): Rendered {
  const manifests = synthesize(values);
  return { manifests: manifests as KubernetesObject[], yaml: toYaml(manifests), image: imageReference(values), description: 'upgrade' };
}

async function rollbackRelease(command: Command, values: Values, cluster: ReturnType<typeof connect>): Promise<Rendered> {
  const target = rollbackTarget(await cluster.history(values.namespace), command.revision);
  const manifests = parseAllDocuments(target.manifests).map((doc) => doc.toJS() as KubernetesObject).filter(Boolean);
  return { manifests, yaml: target.manifests, image: target.image, description: `rollback to ${target.revision}` };
}

function policyOf(command: Command, values: Values): ReleaseRequest['policy'] {
  return {
    readyDeadlineMs: command.timeoutMs,
    bakeMs: command.bakeMs,
    failureLimit: values.release.failureLimit,
    rollbackDeadlineMs: command.timeoutMs,
    gates: RELEASE_GATES.map((gate) => gate.name),
  };
}

/** Ready in --timeout, then every canary pause and every analysis measurement, then a margin as long again as the timeout. */
function rolloutDeadline(command: Command, values: Values): number {
  const pauses = values.release.canarySteps.reduce((sum, step) => sum + ms(step.pause as ms.StringValue), 0);
  return 2 * command.timeoutMs + pauses + ms(values.release.interval as ms.StringValue) * values.release.count;
}

function gatesOf(command: Command, values: Values): ReleaseRequest['gates'] {
  return { prometheusUrl: command.prometheusUrl, intervalMs: ms(values.release.interval as ms.StringValue), window: values.release.window };
}

let command: Command;
try {
  command = parseCommand(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`release: ${(error as Error).message}\n${USAGE}\n`);
  process.exit(2);
}
main(command).then(
  (code) => process.exit(code),
  (error: unknown) => {
    const known = error instanceof Refused || error instanceof ValuesError;
    process.stderr.write(`release: ${known ? (error as Error).message : ((error as Error).stack ?? String(error))}\n`);
    process.exit(known ? 2 : 1);
  },
);

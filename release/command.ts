/**
 * The release command line, parsed into what to do. Pure (no cluster, no files), so every refusal is
 * tested: an unknown subcommand, a duration that is not one, a cloud environment without a context.
 */
import { parseArgs } from 'node:util';
import ms from 'ms';
import { ENVIRONMENTS, type Environment } from '../charts/values.ts';

export const USAGE = `usage:
  npm run release -- [--env local|local-ha|aws|azure] [-f values.yaml]… [--set key=value]… [options]   release what the values render
  npm run release -- history  [--env …] [--context NAME]                                               the releases kept in the cluster
  npm run release -- rollback [REVISION] [--env …] [options]                                          re-release an earlier revision (default: the one before the running one)
options:
  --context NAME     the kubeconfig context to release to; required for aws and azure (local: kind-$CLUSTER, kind-drafty-bird by default).
                     The current context is never used.
  --prometheus URL   where the single writer's gates are read (default http://127.0.0.1:9090: kubectl -n drafty-bird port-forward svc/prometheus 9090:9090)
  --bake DURATION    how long the single writer's gates are measured once the new pod is ready (default 2m)
  --timeout DURATION how long the new pod may take to be ready, and the previous one to come back (default 5m)`;

/** The command refused to act, for a reason the user can fix: printed as one line, exit 2. */
export class Refused extends Error {}
export class UsageError extends Refused {}

export interface Command {
  action: 'release' | 'history' | 'rollback';
  /** rollback: the revision to re-release; undefined: the one before the running one. */
  revision?: number;
  env: Environment;
  valuesFiles: string[];
  sets: string[];
  context: string;
  prometheusUrl: string;
  bakeMs: number;
  timeoutMs: number;
}

export function parseCommand(argv: readonly string[], environment: NodeJS.ProcessEnv = process.env): Command {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        env: { type: 'string', default: 'local' },
        values: { type: 'string', short: 'f', multiple: true, default: [] },
        set: { type: 'string', multiple: true, default: [] },
        context: { type: 'string' },
        prometheus: { type: 'string', default: 'http://127.0.0.1:9090' },
        bake: { type: 'string', default: '2m' },
        timeout: { type: 'string', default: '5m' },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  const [action = 'release', revisionText, ...extra] = positionals;
  if (action !== 'release' && action !== 'history' && action !== 'rollback') throw new UsageError(`unknown command ${action}`);
  if (extra.length > 0 || (revisionText !== undefined && action !== 'rollback')) throw new UsageError(`unexpected argument ${extra[0] ?? revisionText}`);
  const env = values.env as Environment;
  if (!ENVIRONMENTS.includes(env)) throw new UsageError(`--env ${env}: expected one of ${ENVIRONMENTS.join(', ')}`);
  return {
    action,
    ...(revisionText !== undefined ? { revision: revisionNumber(revisionText) } : {}),
    env,
    valuesFiles: values.values,
    sets: values.set,
    context: contextFor(env, values.context, environment),
    prometheusUrl: values.prometheus.replace(/\/$/, ''),
    bakeMs: duration('--bake', values.bake),
    timeoutMs: duration('--timeout', values.timeout),
  };
}

/** kind clusters have a name we know (scripts/cluster.sh); a cloud cluster must be named by the user. */
function contextFor(env: Environment, named: string | undefined, environment: NodeJS.ProcessEnv): string {
  if (named) return named;
  if (env === 'local' || env === 'local-ha') return `kind-${environment.CLUSTER ?? 'drafty-bird'}`;
  throw new UsageError(`--env ${env} needs --context NAME: the release never goes to whatever context happens to be current`);
}

function duration(flag: string, text: string): number {
  const value = /^\d+(ms|s|m|h)$/.test(text) ? ms(text as ms.StringValue) : undefined;
  if (!value) throw new UsageError(`${flag} ${text}: expected a duration such as 90s, 2m or 1h`);
  return value;
}

function revisionNumber(text: string): number {
  if (!/^[1-9]\d*$/.test(text)) throw new UsageError(`rollback ${text}: expected a revision number (release history lists them)`);
  return Number(text);
}

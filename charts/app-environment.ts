import { ConfigError, parseConfig } from '../src/config/config.schema.ts';
import { PORTS } from '../src/surface.ts';
import type { Values } from './values.ts';

/** Where the app's data volume is mounted. */
export const DATA_MOUNT = '/data';

/** V8 heap flags for the container; the chart and the benchmark share them so they cannot drift apart. */
export function nodeOptions(values: Values): string {
  return `--max-old-space-size=${values.app.maxOldSpaceMb} --max-semi-space-size=${values.app.maxSemiSpaceMb}`;
}

/** TRUST_PROXY as the service reads it: `false`, or the proxies' addresses/CIDRs. */
function trustedProxies(values: Values): string {
  const { trustProxy } = values.app;
  if (trustProxy === false) return 'false';
  const addresses = trustProxy === 'exposure' ? values.exposure.sourceCidrs : trustProxy;
  return addresses.length ? addresses.join(',') : 'false';
}

/** The CHAOS_* variables, the content of the chaos ConfigMap. */
export function chaosEnvironment(values: Values): Record<string, string> {
  const { chaos } = values;
  return {
    CHAOS_ENABLED: String(chaos.enabled),
    CHAOS_ERROR_RATE: String(chaos.errorRate),
    CHAOS_ERROR_STATUS: String(chaos.errorStatus),
    CHAOS_LATENCY_MS_P50: String(chaos.latencyMsP50),
    CHAOS_LATENCY_MS_P99: String(chaos.latencyMsP99),
    CHAOS_ROUTES: chaos.routes.join(','),
    ...(chaos.seed === null ? {} : { CHAOS_SEED: String(chaos.seed) }),
  };
}

/**
 * The service settings the chart sets from values, as environment variables: the one mapping from
 * chart values to the container's environment (the workload renders it, validation parses it).
 */
export function appEnvironment(values: Values): Record<string, string> {
  return {
    PORT: String(PORTS.main),
    PUBLIC_PORT: String(PORTS.public),
    HOST: '0.0.0.0',
    NODE_OPTIONS: nodeOptions(values),
    SCORE_DB_PATH: `${DATA_MOUNT}/db.sqlite`,
    LOG_LEVEL: values.app.logLevel,
    SHUTDOWN_DELAY_MS: String(values.app.shutdownDelayMs),
    RATE_LIMIT_PER_MINUTE: String(values.app.rateLimitPerMinute),
    TRUST_PROXY: trustedProxies(values),
  };
}

/** Which value an environment variable comes from, so a refusal names what the user sets. */
const VALUE_OF: Record<string, string> = {
  LOG_LEVEL: 'app.logLevel',
  SHUTDOWN_DELAY_MS: 'app.shutdownDelayMs',
  RATE_LIMIT_PER_MINUTE: 'app.rateLimitPerMinute',
  TRUST_PROXY: 'app.trustProxy',
  CHAOS_ENABLED: 'chaos.enabled',
  CHAOS_ERROR_RATE: 'chaos.errorRate',
  CHAOS_ERROR_STATUS: 'chaos.errorStatus',
  CHAOS_LATENCY_MS_P50: 'chaos.latencyMsP50',
  CHAOS_LATENCY_MS_P99: 'chaos.latencyMsP99',
  CHAOS_ROUTES: 'chaos.routes',
  CHAOS_SEED: 'chaos.seed',
};

/**
 * The container's environment checked by the very parser the service runs at start: values the
 * service would refuse (and exit 2 on, in a crash-looping pod) are refused at synth instead.
 */
export function appEnvironmentProblems(values: Values): string[] {
  try {
    parseConfig({ ...appEnvironment(values), ...chaosEnvironment(values) });
    return [];
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return error.problems.map((problem) => {
      const variable = problem.split(' ')[0] as string;
      return `${VALUE_OF[variable] ?? variable}: the service refuses ${problem}`;
    });
  }
}

import { ConfigError, parseConfig } from '../src/config/config.schema.ts';
import { formatHeaderSetting } from '../src/http/header-setting.ts';
import { PORTS } from '../src/surface.ts';
import type { Values } from './values.ts';

/** Where the app's data volume is mounted (sqlite). */
export const DATA_MOUNT = '/data';
/** Where the database's CA bundle ConfigMap is mounted (postgres, verify-full). */
export const DATABASE_CA_MOUNT = '/etc/drafty-bird/database-ca';
/** The key of the database Secret holding DATABASE_URL, and of the CA ConfigMap holding the bundle. */
export const DATABASE_URL_KEY = 'url';
export const DATABASE_CA_KEY = 'ca.pem';

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
    CHAOS_METHODS: chaos.methods.join(','),
    CHAOS_HEADER: chaos.header === null ? '' : formatHeaderSetting(chaos.header),
    CHAOS_STORAGE_LATENCY_MS: String(chaos.storageLatencyMs),
    CHAOS_STORAGE_FAILURE_RATE: String(chaos.storageFailureRate),
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
    ...storageEnvironment(values),
    LOG_LEVEL: values.app.logLevel,
    SHUTDOWN_DELAY_MS: String(values.app.shutdownDelayMs),
    RATE_LIMIT_PER_MINUTE: String(values.app.rateLimitPerMinute),
    TRUST_PROXY: trustedProxies(values),
  };
}

/** SQLite's file on the data volume, or PostgreSQL's settings (DATABASE_URL itself comes from the Secret). */
function storageEnvironment(values: Values): Record<string, string> {
  const { database } = values;
  if (database.engine === 'sqlite') return { SCORE_DB_PATH: `${DATA_MOUNT}/db.sqlite` };
  return {
    DATABASE_POOL_SIZE: String(database.poolSize),
    DATABASE_CONNECT_TIMEOUT_MS: String(database.connectTimeoutMs),
    DATABASE_STATEMENT_TIMEOUT_MS: String(database.statementTimeoutMs),
    DATABASE_SSL_MODE: database.sslMode,
    ...(database.sslMode === 'verify-full' ? { DATABASE_SSL_CA_FILE: `${DATABASE_CA_MOUNT}/${DATABASE_CA_KEY}` } : {}),
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
  CHAOS_METHODS: 'chaos.methods',
  CHAOS_HEADER: 'chaos.header',
  CHAOS_STORAGE_LATENCY_MS: 'chaos.storageLatencyMs',
  CHAOS_STORAGE_FAILURE_RATE: 'chaos.storageFailureRate',
  CHAOS_SEED: 'chaos.seed',
  DATABASE_POOL_SIZE: 'database.poolSize',
  DATABASE_CONNECT_TIMEOUT_MS: 'database.connectTimeoutMs',
  DATABASE_STATEMENT_TIMEOUT_MS: 'database.statementTimeoutMs',
  DATABASE_SSL_MODE: 'database.sslMode',
};

/** Stands in for the Secret's DATABASE_URL when validating: its value is the site's, never the chart's. */
const PLACEHOLDER_DATABASE_URL = 'postgres://app@database/drafty';

/**
 * The container's environment checked by the very parser the service runs at start: values the
 * service would refuse (and exit 2 on, in a crash-looping pod) are refused at synth instead.
 */
export function appEnvironmentProblems(values: Values): string[] {
  try {
    const secretUrl = values.database.engine === 'postgres' ? { DATABASE_URL: PLACEHOLDER_DATABASE_URL } : {};
    parseConfig({ ...appEnvironment(values), ...chaosEnvironment(values), ...secretUrl });
    return [];
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return error.problems.map((problem) => {
      const variable = problem.split(' ')[0] as string;
      return `${VALUE_OF[variable] ?? variable}: the service refuses ${problem}`;
    });
  }
}

/** PostgreSQL-mode values that only make sense together: where a managed server is, its CA for verify-full, and where the release gates query. */
export function scaleOutProblems(values: Values): string[] {
  const { database } = values;
  if (database.engine !== 'postgres') return [];
  const problems: string[] = [];
  if (!database.inCluster.enabled && database.cidrs.length === 0) {
    problems.push("database.cidrs: required with a managed PostgreSQL — the address range of the database's subnets (the app's egress policy allows only that)");
  }
  if (!values.observability.inCluster && !values.release.prometheusAddress) {
    problems.push('release.prometheusAddress: required with a managed Prometheus — a query endpoint the Argo Rollouts controller can reach for the release gates (see charts/examples/)');
  }
  if (database.sslMode === 'verify-full' && !database.sslCaConfigMap) {
    problems.push(`database.sslCaConfigMap: required with sslMode verify-full — a ConfigMap whose key ${DATABASE_CA_KEY} is the CA bundle (see charts/examples/)`);
  }
  return problems;
}

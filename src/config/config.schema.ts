import { z } from 'zod';
import { type ChaosSettings, chaosSettingsSchema } from '../chaos/chaos.settings.ts';
import { PORTS } from '../surface.ts';
import { databaseEnvSchema, type PostgresConfig, postgresFrom, redactDatabaseUrl } from './database.config.ts';
import { booleanText, integerText, numberText } from './env-text.ts';
import { type HeaderSetting, parseHeaderSetting } from '../http/header-setting.ts';
import { tracingEnvSchema, tracingFrom, type TracingSettings } from '../telemetry/tracing.settings.ts';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** The whole configuration, read once at start. Every field maps to one environment variable. */
export interface AppConfig {
  port: number;
  /** Optional second port serving only the public routes (the exposure path in Kubernetes). */
  publicPort: number | undefined;
  host: string;
  scoreDbPath: string;
  logLevel: LogLevel;
  rateLimitPerMinute: number;
  /**
   * Whom X-Forwarded-For may be believed from: nobody (false) or the proxies at these addresses/CIDRs
   * (the load balancer's subnets). Never "any client", and never a bare hop count, which cannot tell
   * a proxy from a client that wrote the header itself.
   */
  trustProxy: false | string[];
  shutdownDelayMs: number;
  /** A request (headers and body) must arrive within this; slower ones are answered 408 and closed. */
  requestTimeoutMs: number;
  storageRetryMs: number;
  /** How long after POST /game-start a run's score is accepted (RUN_TTL_SECONDS). */
  runTtlMs: number;
  /** PostgreSQL when DATABASE_URL is set; otherwise scores live in SQLite at `scoreDbPath`. */
  postgres: PostgresConfig | undefined;
  chaosAdminToken: string | undefined;
  chaos: ChaosSettings;
  /** Where traces go and which are kept (the standard OTEL_* variables); undefined: tracing off. */
  tracing: TracingSettings | undefined;
}

export class ConfigError extends Error {
  // A plain field, not a parameter property: the chart loads this file with Node's type stripping.
  readonly problems: string[];

  constructor(problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

const IPV4_OR_CIDR = /^\d{1,3}(\.\d{1,3}){3}(\/\d{1,2})?$/;
const IPV6_OR_CIDR = /^[0-9a-f:]*:[0-9a-f:.]*(\/\d{1,3})?$/i;
const TRUST_PROXY_ACCEPTS =
  "must be false or the comma-separated addresses/CIDRs of the proxies in front (the load balancer's subnets); " +
  '"true" would believe any X-Forwarded-For a client writes, and a hop count cannot tell a proxy from a client';

/** TRUST_PROXY: false | the proxies' addresses. `true` and hop counts are refused. */
const trustProxyText = z
  .string()
  .trim()
  .transform((text, ctx): false | string[] => {
    if (/^(false|0)$/i.test(text)) return false;
    const list = text.split(',').map((entry) => entry.trim()).filter(Boolean);
    if (list.length > 0 && list.every((entry) => IPV4_OR_CIDR.test(entry) || IPV6_OR_CIDR.test(entry))) return list;
    ctx.addIssue({ code: 'custom', message: TRUST_PROXY_ACCEPTS });
    return z.NEVER;
  });

/** Each variable with its parser; a missing (or empty) variable takes the default. */
const envSchema = z.object({
  PORT: integerText('from 0 to 65535', 0, 65535).default(PORTS.main),
  PUBLIC_PORT: integerText('from 1 to 65535', 1, 65535).optional(),
  HOST: z.string().trim().min(1, 'must be a host name or address').default('0.0.0.0'),
  SCORE_DB_PATH: z.string().trim().min(1, 'must be a file path').default('./data/db.sqlite'),
  LOG_LEVEL: z
    .string()
    .trim()
    .toLowerCase()
    .pipe(z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }))
    .default('info'),
  RATE_LIMIT_PER_MINUTE: integerText('from 0 (off) to 1000000', 0, 1_000_000).default(120),
  TRUST_PROXY: trustProxyText.default(false),
  SHUTDOWN_DELAY_MS: integerText('from 0 to 20000', 0, 20_000).default(5000),
  REQUEST_TIMEOUT_MS: integerText('from 1000 to 120000', 1000, 120_000).default(30_000),
  STORAGE_RETRY_MS: integerText('from 100 to 60000', 100, 60_000).default(2000),
  RUN_TTL_SECONDS: integerText('from 60 to 86400', 60, 86_400).default(7200),
  CHAOS_ADMIN_TOKEN: z
    .string()
    .min(16, 'must be at least 16 characters (use a random secret)')
    .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces')
    .optional(),
});

/** A comma-separated list; blanks dropped. */
const listText = z.string().transform((list) => list.split(',').map((item) => item.trim()).filter(Boolean));

/** The CHAOS_* settings, parsed from text here and then validated as a whole by the chaos schema. */
const chaosEnvSchema = z.object({
  CHAOS_ENABLED: booleanText.optional(),
  CHAOS_ERROR_RATE: numberText('must be a number from 0 to 1').optional(),
  CHAOS_ERROR_STATUS: integerText('from 500 to 599', 500, 599).optional(),
  CHAOS_LATENCY_MS_P50: integerText('from 0 to 60000', 0, 60_000).optional(),
  CHAOS_LATENCY_MS_P99: integerText('from 0 to 60000', 0, 60_000).optional(),
  CHAOS_ROUTES: listText.optional(),
  CHAOS_METHODS: listText.optional(),
  CHAOS_HEADER: z
    .string()
    .transform((text) => headerText(text))
    .optional(),
  CHAOS_STORAGE_LATENCY_MS: integerText('from 0 to 60000', 0, 60_000).optional(),
  CHAOS_STORAGE_FAILURE_RATE: numberText('must be a number from 0 to 1').optional(),
  CHAOS_SEED: integerText('(for example 42)', Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER).optional(),
});

/** CHAOS_HEADER is `name=value` (the value may contain "="); empty means no header targeting. */
function headerText(text: string): HeaderSetting | null | string {
  if (text.trim() === '') return null;
  // Anything without "=" is passed on as is, for the chaos schema to refuse with its own message.
  return parseHeaderSetting(text) ?? text;
}

/** Where a chaos setting comes from, so its errors name the variable an operator sets. */
const CHAOS_VARIABLES: Record<keyof ChaosSettings, keyof z.input<typeof chaosEnvSchema>> = {
  enabled: 'CHAOS_ENABLED',
  errorRate: 'CHAOS_ERROR_RATE',
  errorStatus: 'CHAOS_ERROR_STATUS',
  latencyMsP50: 'CHAOS_LATENCY_MS_P50',
  latencyMsP99: 'CHAOS_LATENCY_MS_P99',
  routes: 'CHAOS_ROUTES',
  methods: 'CHAOS_METHODS',
  header: 'CHAOS_HEADER',
  storageLatencyMs: 'CHAOS_STORAGE_LATENCY_MS',
  storageFailureRate: 'CHAOS_STORAGE_FAILURE_RATE',
  seed: 'CHAOS_SEED',
};

/** How an error message may show a variable's value: secrets are never echoed back. */
const SHOWN_AS: Record<string, (value: string) => string> = {
  CHAOS_ADMIN_TOKEN: (value) => `${value.length} characters, not shown`,
  DATABASE_URL: (value) => JSON.stringify(redactDatabaseUrl(value)),
};

function describeIssues(error: z.ZodError, name: (path: PropertyKey[]) => string, env: NodeJS.ProcessEnv): string[] {
  return error.issues.map((issue) => {
    const variable = name(issue.path);
    const got = env[variable];
    const shown = got === undefined ? undefined : (SHOWN_AS[variable]?.(got) ?? JSON.stringify(got));
    return `${variable} ${issue.message}${shown === undefined ? '' : ` (got ${shown})`}`;
  });
}

/**
 * Parses and validates the environment once. Every problem is reported together, naming the variable
 * and what it accepts; nothing is clamped or silently replaced.
 */
export function parseConfig(env: NodeJS.ProcessEnv): AppConfig {
  // An empty variable means "not set": that is how compose files and ConfigMaps usually unset one.
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  const variableNamed = (path: PropertyKey[]) => String(path[0]);
  const parsed = envSchema.safeParse(present);
  const chaosVars = chaosEnvSchema.safeParse(present);
  const databaseVars = databaseEnvSchema.safeParse(present);
  const tracingVars = tracingEnvSchema.safeParse(present);
  const problems = [
    ...(parsed.success ? [] : describeIssues(parsed.error, variableNamed, env)),
    ...(chaosVars.success ? [] : describeIssues(chaosVars.error, variableNamed, env)),
    ...(databaseVars.success ? [] : describeIssues(databaseVars.error, variableNamed, env)),
    ...(tracingVars.success ? [] : describeIssues(tracingVars.error, variableNamed, env)),
  ];
  const database = databaseVars.success ? postgresFrom(databaseVars.data) : undefined;
  problems.push(...(database?.problems ?? []));
  const chaos = chaosVars.success ? parseChaos(chaosVars.data, env) : undefined;
  problems.push(...(chaos && !chaos.success ? chaos.problems : []));
  if (!parsed.success || !chaos?.success || !database || !tracingVars.success || problems.length > 0) throw new ConfigError(problems);
  const vars = parsed.data;
  return {
    port: vars.PORT,
    publicPort: vars.PUBLIC_PORT,
    host: vars.HOST,
    scoreDbPath: vars.SCORE_DB_PATH,
    logLevel: vars.LOG_LEVEL,
    rateLimitPerMinute: vars.RATE_LIMIT_PER_MINUTE,
    trustProxy: vars.TRUST_PROXY,
    shutdownDelayMs: vars.SHUTDOWN_DELAY_MS,
    requestTimeoutMs: vars.REQUEST_TIMEOUT_MS,
    storageRetryMs: vars.STORAGE_RETRY_MS,
    runTtlMs: vars.RUN_TTL_SECONDS * 1000,
    postgres: database.config,
    chaosAdminToken: vars.CHAOS_ADMIN_TOKEN,
    chaos: chaos.settings,
    tracing: tracingFrom(tracingVars.data),
  };
}

type ChaosParse = { success: true; settings: ChaosSettings } | { success: false; problems: string[] };

function parseChaos(vars: z.output<typeof chaosEnvSchema>, env: NodeJS.ProcessEnv): ChaosParse {
  const chaos = chaosSettingsSchema.safeParse({
    enabled: vars.CHAOS_ENABLED,
    errorRate: vars.CHAOS_ERROR_RATE,
    errorStatus: vars.CHAOS_ERROR_STATUS,
    latencyMsP50: vars.CHAOS_LATENCY_MS_P50,
    latencyMsP99: vars.CHAOS_LATENCY_MS_P99,
    routes: vars.CHAOS_ROUTES,
    methods: vars.CHAOS_METHODS?.map((method) => method.toUpperCase()),
    header: vars.CHAOS_HEADER,
    storageLatencyMs: vars.CHAOS_STORAGE_LATENCY_MS,
    storageFailureRate: vars.CHAOS_STORAGE_FAILURE_RATE,
    seed: vars.CHAOS_SEED,
  });
  if (chaos.success) return { success: true, settings: chaos.data };
  const variableOf = (path: PropertyKey[]) => CHAOS_VARIABLES[path[0] as keyof ChaosSettings] ?? 'CHAOS_*';
  return { success: false, problems: describeIssues(chaos.error, variableOf, env) };
}

/** The service's defaults, read once: the chart's values take theirs from here rather than repeating them. */
export const CONFIG_DEFAULTS: AppConfig = parseConfig({});

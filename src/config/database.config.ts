import { z } from 'zod';
import { integerText } from './env-text.ts';

/** How the service talks TLS to PostgreSQL; `verify-full` checks the chain against a CA file and the host name. */
export const SSL_MODES = ['disable', 'require', 'verify-full'] as const;
export type SslMode = (typeof SSL_MODES)[number];

/** A PostgreSQL server, from DATABASE_URL and the DATABASE_* settings. */
export interface PostgresConfig {
  host: string;
  port: number;
  user: string;
  /** Never logged, never in an error message: see `describeDatabase`. */
  password: string | undefined;
  database: string;
  /** Connections each replica keeps at most (DATABASE_POOL_SIZE). */
  poolSize: number;
  /** How long opening a connection (or waiting for a free one) may take. */
  connectTimeoutMs: number;
  /**
   * The longest any statement may run: the server cancels it (statement_timeout) and the client gives
   * up a little later (query_timeout), so a stuck or unreachable database is a 503, never a hung request.
   */
  statementTimeoutMs: number;
  sslMode: SslMode;
  /** PEM bundle that signs the server's certificate; required with `verify-full`. */
  sslCaFile: string | undefined;
}

/** The value of a secret-bearing variable as error messages may show it. */
export function redactDatabaseUrl(text: string): string {
  return text.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]*):[^@]*@/i, '$1:***@');
}

/** `postgres://user@host:port/db` — what logs say about the database, never the password. */
export function describeDatabase(config: PostgresConfig): string {
  return `postgres://${encodeURIComponent(config.user)}@${config.host}:${config.port}/${encodeURIComponent(config.database)}`;
}

type UrlParts = Pick<PostgresConfig, 'host' | 'port' | 'user' | 'password' | 'database'>;

/**
 * DATABASE_URL without query parameters: `pg` would let `?sslmode=` silently override the validated
 * DATABASE_SSL_MODE, so TLS has exactly one setting.
 */
const databaseUrlText = z
  .string()
  .trim()
  .transform((text, ctx): UrlParts => {
    const fail = (message: string) => {
      ctx.addIssue({ code: 'custom', message });
      return z.NEVER;
    };
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      return fail('must be a URL like postgres://user:password@host:5432/database');
    }
    if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') return fail('must start with postgres:// or postgresql://');
    if (!url.hostname) return fail('must name a host');
    if (url.search || url.hash) return fail('must not carry query parameters: set TLS with DATABASE_SSL_MODE and DATABASE_SSL_CA_FILE');
    const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
    if (!database || database.includes('/')) return fail('must name one database after the host (…:5432/drafty)');
    if (!url.username) return fail('must name a user (postgres://user:password@host/database)');
    return {
      host: url.hostname.replace(/^\[|\]$/g, ''),
      port: url.port ? Number(url.port) : 5432,
      user: decodeURIComponent(url.username),
      password: url.password ? decodeURIComponent(url.password) : undefined,
      database,
    };
  });

/** The DATABASE_* variables. */
export const databaseEnvSchema = z.object({
  DATABASE_URL: databaseUrlText.optional(),
  DATABASE_POOL_SIZE: integerText('from 1 to 100', 1, 100).default(10),
  DATABASE_CONNECT_TIMEOUT_MS: integerText('from 100 to 60000', 100, 60_000).default(5000),
  DATABASE_STATEMENT_TIMEOUT_MS: integerText('from 100 to 60000', 100, 60_000).default(5000),
  DATABASE_SSL_MODE: z
    .string()
    .trim()
    .toLowerCase()
    .pipe(z.enum(SSL_MODES, { error: `must be one of ${SSL_MODES.join(', ')}` }))
    .default('disable'),
  DATABASE_SSL_CA_FILE: z.string().trim().min(1).optional(),
});

type DatabaseVars = z.output<typeof databaseEnvSchema>;

/** PostgreSQL when DATABASE_URL is set, else undefined (SQLite); problems name the variable to fix. */
export function postgresFrom(vars: DatabaseVars): { config: PostgresConfig | undefined; problems: string[] } {
  const url = vars.DATABASE_URL;
  // Without DATABASE_URL the DATABASE_* settings are unused: SQLite.
  if (!url) return { config: undefined, problems: [] };
  const problems: string[] = [];
  if (vars.DATABASE_SSL_MODE === 'verify-full' && !vars.DATABASE_SSL_CA_FILE) {
    problems.push('DATABASE_SSL_CA_FILE must name the CA bundle that signs the server certificate when DATABASE_SSL_MODE=verify-full');
  }
  if (vars.DATABASE_SSL_CA_FILE && vars.DATABASE_SSL_MODE !== 'verify-full') {
    problems.push(`DATABASE_SSL_CA_FILE is only used with DATABASE_SSL_MODE=verify-full (got DATABASE_SSL_MODE=${vars.DATABASE_SSL_MODE})`);
  }
  return {
    config: {
      ...url,
      poolSize: vars.DATABASE_POOL_SIZE,
      connectTimeoutMs: vars.DATABASE_CONNECT_TIMEOUT_MS,
      statementTimeoutMs: vars.DATABASE_STATEMENT_TIMEOUT_MS,
      sslMode: vars.DATABASE_SSL_MODE,
      sslCaFile: vars.DATABASE_SSL_CA_FILE,
    },
    problems,
  };
}

/** The DATABASE_* defaults, read once: the chart's values take theirs from here. */
export const DATABASE_DEFAULTS = databaseEnvSchema.parse({});

import { readFileSync } from 'node:fs';
import type { ClientConfig } from 'pg';
import type { PostgresConfig } from '../config/database.config.ts';

/** The channel replicas announce committed scores on (LISTEN/NOTIFY). */
export const SCORES_CHANNEL = 'drafty_bird_scores';

/**
 * Advisory lock keys (arbitrary, fixed): one serialises score commits across replicas so each commit's
 * high score is the database's maximum as of that commit; one serialises migrations at start-up.
 */
export const LOCK = { scoreWrites: 0x6472_6166_7479, migrations: 0x6472_6166_7475 } as const;

/** How much longer than the server's statement_timeout the client waits before it gives up itself. */
const CLIENT_TIMEOUT_MARGIN_MS = 1000;

/**
 * How every connection is opened: discrete fields (never a connection string, which could carry an
 * `sslmode` overriding the validated one), bounded connect and statement times, TCP keep-alive, and a
 * server-side limit on a transaction left idle by a vanished client (it would hold the write lock).
 */
export function clientConfig(config: PostgresConfig, overrides: { statementTimeoutMs?: number } = {}): ClientConfig {
  const statementTimeoutMs = overrides.statementTimeoutMs ?? config.statementTimeoutMs;
  return {
    host: config.host,
    port: config.port,
    user: config.user,
    password: config.password,
    database: config.database,
    ssl: tlsOptions(config),
    application_name: 'drafty-bird',
    connectionTimeoutMillis: config.connectTimeoutMs,
    statement_timeout: statementTimeoutMs,
    query_timeout: statementTimeoutMs + CLIENT_TIMEOUT_MARGIN_MS,
    idle_in_transaction_session_timeout: statementTimeoutMs * 2,
    keepAlive: true,
  };
}

/**
 * `disable`: plain TCP. `require`: encrypted, certificate not checked (libpq's meaning). `verify-full`:
 * the chain must lead to the CA file and the certificate must name the host.
 */
function tlsOptions(config: PostgresConfig): ClientConfig['ssl'] {
  switch (config.sslMode) {
    case 'disable':
      return false;
    case 'require':
      return { rejectUnauthorized: false };
    case 'verify-full':
      return { rejectUnauthorized: true, ca: readCaFile(config.sslCaFile as string), servername: config.host };
  }
}

function readCaFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(`cannot read DATABASE_SSL_CA_FILE ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, { cause: error });
  }
}

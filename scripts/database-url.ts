/**
 * Prints the DATABASE_URL of the in-cluster PostgreSQL (k8s/local-ha) for a password read from stdin,
 * from the chart's own names, so scripts/cluster.sh never spells the host, user or database itself:
 *   openssl rand -hex 24 | node --experimental-strip-types scripts/database-url.ts
 */
import { readFileSync } from 'node:fs';
import { POSTGRES_DATABASE, POSTGRES_NAME, POSTGRES_PORT, POSTGRES_USER } from '../charts/constructs/in-cluster-postgres.ts';

const password = readFileSync(0, 'utf8').trim();
if (!/^[A-Za-z0-9]{16,}$/.test(password)) {
  process.stderr.write('database-url: expected a password of 16+ letters and digits on stdin\n');
  process.exit(2);
}
process.stdout.write(`postgres://${POSTGRES_USER}:${password}@${POSTGRES_NAME}:${POSTGRES_PORT}/${POSTGRES_DATABASE}\n`);

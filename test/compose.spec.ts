import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, type ScalarTag, type CollectionTag } from 'yaml';
import { POSTGRES_DATABASE, POSTGRES_USER } from '../charts/constructs/in-cluster-postgres.ts';
import { LOCAL } from '../charts/values.ts';
import { parseConfig } from '../src/config/config.schema.ts';
import { PORTS } from '../src/surface.ts';
import { PLAYERS_CONTAINER_COMMAND, PLAYERS_METRICS_PORT } from '../src/players/players.command.ts';
import { playersArgs } from '../charts/constructs/players.ts';

const ROOT = join(__dirname, '..');

/** Compose's merge tags (`!override`, `!reset`), read as the value they carry. */
const COMPOSE_TAGS: Array<ScalarTag | CollectionTag> = ['!override', '!reset'].flatMap((tag) => [
  { tag, collection: 'seq', identify: () => false, resolve: (value: unknown) => value } as unknown as CollectionTag,
  { tag, collection: 'map', identify: () => false, resolve: (value: unknown) => value } as unknown as CollectionTag,
]);

type Service = { image?: string; environment?: Record<string, string>; ports?: unknown; deploy?: { replicas?: number }; depends_on?: Record<string, unknown> };
const composeFile = (name: string) => parse(readFileSync(join(ROOT, name), 'utf8'), { customTags: COMPOSE_TAGS }) as { services: Record<string, Service> };

/**
 * No Docker here, so compose cannot run: what can be checked is that the PostgreSQL override says the
 * same as the chart and the service — the same image, role and database as k8s/local-ha, and a
 * DATABASE_URL the service accepts.
 */
describe('docker-compose.postgres.yml', () => {
  const { services } = composeFile('docker-compose.postgres.yml');

  it('runs the chart\'s pinned PostgreSQL image with the chart\'s role and database', () => {
    expect(services.postgres?.image).toBe(LOCAL.database.inCluster.image);
    expect(services.postgres?.environment).toMatchObject({ POSTGRES_USER, POSTGRES_DB: POSTGRES_DATABASE });
  });

  it('gives two app replicas a DATABASE_URL the service accepts, naming that server, role and database', () => {
    const app = services.app!;
    expect(app.deploy?.replicas).toBe(2);
    expect(app.depends_on).toMatchObject({ postgres: { condition: 'service_healthy' } });
    const url = (app.environment?.DATABASE_URL as string).replace(/\$\{POSTGRES_PASSWORD:\?[^}]*\}/, 'a-password-from-the-shell');
    expect(parseConfig({ DATABASE_URL: url }).postgres).toMatchObject({ host: 'postgres', port: 5432, user: POSTGRES_USER, database: POSTGRES_DATABASE });
    // One host port per replica, on the port the base file publishes.
    expect(app.ports).toEqual([`8080-8081:${PORTS.main}`]);
  });
});

describe('docker-compose.yml', () => {
  it("runs the synthetic players as the chart does — the same command and flags, the compose app's public port as the target — and Prometheus scrapes them", () => {
    const players = (composeFile('docker-compose.yml').services as Record<string, Service & { command?: string[] }>).players!;
    const chartArgs = [...PLAYERS_CONTAINER_COMMAND, ...playersArgs(LOCAL)];
    expect(players.command).toEqual(chartArgs.map((arg, i) => (chartArgs[i - 1] === '--target' ? `http://app:${PORTS.public}` : arg)));
    expect(players.depends_on).toEqual({ app: { condition: 'service_healthy' } });
    const prometheus = parse(readFileSync(join(ROOT, 'compose', 'prometheus', 'prometheus.yml'), 'utf8'));
    expect(prometheus.scrape_configs[1]).toMatchObject({ job_name: 'drafty-bird-players', dns_sd_configs: [{ names: ['players'], port: PLAYERS_METRICS_PORT }] });
  });
});

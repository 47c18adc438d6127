import type { DataSourceOptions, MigrationInterface } from 'typeorm';

/** The table TypeORM records applied migrations in (its default), one row per migration name. */
export const MIGRATIONS_TABLE = 'migrations';

type MigrationClass = new () => MigrationInterface;

/**
 * The migrations not yet recorded in TypeORM's table, given the names recorded there. Read with the
 * service's own driver before TypeORM is loaded at all: on a start with nothing to migrate (every
 * restart, every scale-out) TypeORM's ~150 ms of loading is skipped.
 */
export function pendingMigrations<M extends MigrationClass>(migrations: readonly M[], applied: Iterable<string>): M[] {
  const recorded = new Set(applied);
  return migrations.filter((Migration) => !recorded.has(new Migration().name ?? Migration.name));
}

/**
 * Runs (and records) the pending migrations with TypeORM on a connection of its own, closed before
 * the service opens the connections it works through: TypeORM runs the schema, never the statements.
 * Loaded here, on demand, not with the service.
 */
export async function runMigrations(options: DataSourceOptions): Promise<void> {
  const { DataSource } = await import('typeorm');
  const dataSource = new DataSource({ ...options, logging: false });
  await dataSource.initialize();
  try {
    await dataSource.runMigrations();
  } finally {
    await dataSource.destroy();
  }
}

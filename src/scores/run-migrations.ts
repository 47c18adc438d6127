import { DataSource, type DataSourceOptions } from 'typeorm';

/**
 * Runs (and records) the pending migrations with TypeORM on a connection of its own, closed before
 * the service opens the connections it works through: TypeORM runs the schema, never the statements.
 */
export async function runMigrations(options: DataSourceOptions): Promise<void> {
  const dataSource = new DataSource({ ...options, logging: false });
  await dataSource.initialize();
  try {
    await dataSource.runMigrations();
  } finally {
    await dataSource.destroy();
  }
}

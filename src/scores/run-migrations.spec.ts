import { MIGRATIONS } from './migrations/index.ts';
import { POSTGRES_MIGRATIONS } from './postgres-migrations/index.ts';
import { pendingMigrations } from './run-migrations.ts';

describe('pending migrations (decided before TypeORM is loaded)', () => {
  const names = (migrations: readonly (new () => { name?: string })[]) => migrations.map((Migration) => String(new Migration().name));

  it.each([['SQLite', MIGRATIONS], ['PostgreSQL', POSTGRES_MIGRATIONS]] as const)('%s: all on a new database, none once TypeORM recorded each, the newer ones after an older release', (_engine, migrations) => {
    expect(pendingMigrations(migrations, [])).toEqual(migrations);
    expect(pendingMigrations(migrations, names(migrations))).toEqual([]);
    expect(pendingMigrations(migrations, names(migrations).slice(0, 1))).toEqual(migrations.slice(1));
  });

  it('each migration has the name TypeORM records it under', () => {
    for (const name of names([...MIGRATIONS, ...POSTGRES_MIGRATIONS])) expect(name).toMatch(/^[A-Za-z]+\d{13}$/);
  });
});

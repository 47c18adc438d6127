import { CreateSchema1764100000000 } from './1764100000000-create-schema.ts';

/** Every PostgreSQL migration, oldest first (SQLite's are in ../migrations). */
export const POSTGRES_MIGRATIONS = [CreateSchema1764100000000];

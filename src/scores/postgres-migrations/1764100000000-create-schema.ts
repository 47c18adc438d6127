import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The PostgreSQL schema, equal in meaning to SQLite's migrations up to AddRuns: scores with the
 * leaderboard index (the top N is read from it, never from a scan or sort), a run scores once
 * (`run_id` UNIQUE) and keeps the high score its answer carried, and the keys runs are signed with.
 * SQLite's storage probe has no counterpart: a server that accepts a write transaction is writable.
 */
export class CreateSchema1764100000000 implements MigrationInterface {
  name = 'CreateSchema1764100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "scores" (
        "id" BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        "player" TEXT NOT NULL CHECK (char_length("player") BETWEEN 1 AND 32),
        "score" INTEGER NOT NULL CHECK ("score" BETWEEN 0 AND 1000000),
        "created_at" TIMESTAMPTZ NOT NULL,
        "run_id" TEXT UNIQUE,
        "high_score" INTEGER
      )`);
    await queryRunner.query(`CREATE INDEX "idx_scores_leaderboard" ON "scores" ("score" DESC, "created_at" ASC, "id" ASC)`);
    await queryRunner.query(`CREATE TABLE "run_keys" ("id" TEXT PRIMARY KEY, "secret" BYTEA NOT NULL, "created_at" TIMESTAMPTZ NOT NULL)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "run_keys"`);
    await queryRunner.query(`DROP TABLE "scores"`);
  }
}

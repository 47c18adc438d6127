import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Scores belong to runs the server issued. A run's id is stored with its score — unique, so a run
 * scores once and a retry finds the first answer — with the high score that answer carried. Runs are
 * signed with keys kept here, so every replica and every restart verifies what any of them issued
 * and no manifest carries a secret. Rows from before runs keep NULL in both columns.
 */
export class AddRuns1764000000000 implements MigrationInterface {
  name = 'AddRuns1764000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "scores" ADD COLUMN "run_id" TEXT`);
    await queryRunner.query(`ALTER TABLE "scores" ADD COLUMN "high_score" INTEGER`);
    await queryRunner.query(`CREATE UNIQUE INDEX "idx_scores_run" ON "scores" ("run_id")`);
    await queryRunner.query(`CREATE TABLE "run_keys" ("id" TEXT PRIMARY KEY NOT NULL, "secret" BLOB NOT NULL, "created_at" TEXT NOT NULL)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "run_keys"`);
    await queryRunner.query(`DROP INDEX "idx_scores_run"`);
    await queryRunner.query(`ALTER TABLE "scores" DROP COLUMN "high_score"`);
    await queryRunner.query(`ALTER TABLE "scores" DROP COLUMN "run_id"`);
  }
}

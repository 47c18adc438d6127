import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateScores1732345200000 implements MigrationInterface {
  name = 'CreateScores1732345200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "scores" (
        "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
        "player" TEXT NOT NULL CHECK (length("player") BETWEEN 1 AND 32),
        "score" INTEGER NOT NULL CHECK ("score" BETWEEN 0 AND 1000000),
        "created_at" TEXT NOT NULL
      )`);
    // The leaderboard order, so the top N is read from the index and never from a table scan or sort.
    await queryRunner.query(
      `CREATE INDEX "idx_scores_leaderboard" ON "scores" ("score" DESC, "created_at" ASC, "id" ASC)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "idx_scores_leaderboard"`);
    await queryRunner.query(`DROP TABLE "scores"`);
  }
}

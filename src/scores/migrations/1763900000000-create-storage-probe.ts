import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One row the service rewrites to prove that a write can commit now: readiness after a failed write
 * (disk full, I/O error) and every (re)open depend on it, not on a lock that needs no space.
 */
export class CreateStorageProbe1763900000000 implements MigrationInterface {
  name = 'CreateStorageProbe1763900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "storage_probe" ("id" INTEGER PRIMARY KEY CHECK ("id" = 1), "written_at" TEXT NOT NULL)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "storage_probe"`);
  }
}

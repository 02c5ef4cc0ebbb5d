import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A first link's key table holds 12 million (key, record) rows at a million records; building its primary
 * key sorts them all. With 512 MB the sort spilled to disk (two runs of 400 MB written and merged: 12.7 s
 * on a quiet machine); in memory it takes 1.0 GB and 9.5 s. The setting is a ceiling, used only as far as
 * a sort needs it, and only in this function (the batch's staging connection).
 */
export class SortBatchKeysInMemory1797200000000 implements MigrationInterface {
  name = 'SortBatchKeysInMemory1797200000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER FUNCTION linkage_keys_next_index() SET maintenance_work_mem = '2GB'`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER FUNCTION linkage_keys_next_index() SET maintenance_work_mem = '512MB'`);
  }
}

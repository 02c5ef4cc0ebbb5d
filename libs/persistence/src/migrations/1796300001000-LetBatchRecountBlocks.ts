import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A batch re-link recounts every block: emptying the table by TRUNCATE (not a DELETE of millions of rows
 * that leaves as many dead ones) and filling it in key order (the primary key's pages fill one after
 * another). It runs as the owner, inside the batch's transaction, which already holds the linkage lock.
 */
export class LetBatchRecountBlocks1796300001000 implements MigrationInterface {
  name = 'LetBatchRecountBlocks1796300001000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE FUNCTION linkage_blocks_recount() RETURNS void LANGUAGE sql SECURITY DEFINER
       SET search_path = public SET work_mem = '256MB'
       AS $$ TRUNCATE linkage_block;
             INSERT INTO linkage_block (key, size)
             SELECT k, count(*) FROM linkage_record, unnest(blocking_keys) k GROUP BY k ORDER BY k $$`,
    );
    await queryRunner.query(`REVOKE ALL ON FUNCTION linkage_blocks_recount() FROM PUBLIC`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP FUNCTION linkage_blocks_recount()`);
  }
}

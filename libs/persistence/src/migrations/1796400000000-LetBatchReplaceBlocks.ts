import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A batch re-link now counts its blocks itself (it hashes the keys as PostgreSQL does) and writes the
 * counts in, instead of asking PostgreSQL to group every record's keys again: the owner's part is only
 * emptying the table by TRUNCATE (not a DELETE of millions of rows that leaves as many dead ones). It
 * runs inside the batch's transaction, which already holds the linkage lock.
 */
export class LetBatchReplaceBlocks1796400000000 implements MigrationInterface {
  name = 'LetBatchReplaceBlocks1796400000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE FUNCTION linkage_blocks_clear() RETURNS void LANGUAGE sql SECURITY DEFINER
       SET search_path = public
       AS $$ TRUNCATE linkage_block $$`,
    );
    await queryRunner.query(`REVOKE ALL ON FUNCTION linkage_blocks_clear() FROM PUBLIC`);
    await queryRunner.query(`DROP FUNCTION linkage_blocks_recount()`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE FUNCTION linkage_blocks_recount() RETURNS void LANGUAGE sql SECURITY DEFINER
       SET search_path = public SET work_mem = '256MB'
       AS $$ TRUNCATE linkage_block;
             INSERT INTO linkage_block (key, size)
             SELECT k, count(*) FROM linkage_record, unnest(blocking_keys) k GROUP BY k ORDER BY k $$`,
    );
    await queryRunner.query(`REVOKE ALL ON FUNCTION linkage_blocks_recount() FROM PUBLIC`);
    await queryRunner.query(`DROP FUNCTION linkage_blocks_clear()`);
  }
}

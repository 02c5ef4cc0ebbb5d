import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A first link of a place writes every index row at once: every secondary index of `linkage_record`
 * (blocking keys, family keys, person) is cheaper to build once afterwards than to grow row by row
 * (the two GIN indexes have fast update off, so each row's keys are inserted one by one). These two
 * functions replace the pair that covered the blocking index only; they run as the owner, and the
 * batch calls both inside its transaction, so readers never see the table without its indexes.
 */
export class LetBatchRebuildLinkageIndexes1796200000000 implements MigrationInterface {
  name = 'LetBatchRebuildLinkageIndexes1796200000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE FUNCTION linkage_indexes_drop() RETURNS void LANGUAGE sql SECURITY DEFINER
       SET search_path = public
       AS $$ DROP INDEX IF EXISTS linkage_record_blocking_keys_idx;
             DROP INDEX IF EXISTS linkage_record_family_keys_idx;
             DROP INDEX IF EXISTS linkage_record_person_idx $$`,
    );
    await queryRunner.query(
      `CREATE FUNCTION linkage_indexes_build() RETURNS void LANGUAGE sql SECURITY DEFINER
       SET search_path = public SET maintenance_work_mem = '512MB'
       AS $$ CREATE INDEX IF NOT EXISTS linkage_record_blocking_keys_idx ON linkage_record USING gin (blocking_keys)
               WITH (fastupdate = off);
             CREATE INDEX IF NOT EXISTS linkage_record_family_keys_idx ON linkage_record USING gin (family_keys)
               WITH (fastupdate = off);
             CREATE INDEX IF NOT EXISTS linkage_record_person_idx ON linkage_record (person_id) $$`,
    );
    for (const f of ['linkage_indexes_drop', 'linkage_indexes_build'])
      await queryRunner.query(`REVOKE ALL ON FUNCTION ${f}() FROM PUBLIC`);
    await queryRunner.query(`DROP FUNCTION linkage_blocking_index_build()`);
    await queryRunner.query(`DROP FUNCTION linkage_blocking_index_drop()`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE FUNCTION linkage_blocking_index_drop() RETURNS void LANGUAGE sql SECURITY DEFINER
       SET search_path = public
       AS $$ DROP INDEX IF EXISTS linkage_record_blocking_keys_idx $$`,
    );
    await queryRunner.query(
      `CREATE FUNCTION linkage_blocking_index_build() RETURNS void LANGUAGE sql SECURITY DEFINER
       SET search_path = public SET maintenance_work_mem = '512MB'
       AS $$ CREATE INDEX IF NOT EXISTS linkage_record_blocking_keys_idx ON linkage_record USING gin (blocking_keys)
             WITH (fastupdate = off) $$`,
    );
    for (const f of ['linkage_blocking_index_drop', 'linkage_blocking_index_build'])
      await queryRunner.query(`REVOKE ALL ON FUNCTION ${f}() FROM PUBLIC`);
    await queryRunner.query(`DROP FUNCTION linkage_indexes_build()`);
    await queryRunner.query(`DROP FUNCTION linkage_indexes_drop()`);
  }
}

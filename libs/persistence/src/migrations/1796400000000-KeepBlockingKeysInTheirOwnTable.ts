import type { MigrationInterface, QueryRunner } from 'typeorm';

const SYSTEM = `(current_setting('joinedup.scope', true) = 'system')`;

/**
 * Blocking keys are looked up in a table of their own, `linkage_block_member (key, source_record_id)`
 * with a btree primary key, instead of a GIN index on `linkage_record.blocking_keys` (the column stays: it
 * is what a record's keys were, for counting blocks). Building the btree for a million records takes 10 s
 * where the GIN took 25, and a person moving no longer rewrites the record's dozen GIN entries (its row is
 * updated; the keys' rows are not). A batch rebuilds the table from the index rows
 * (`linkage_block_members_rebuild`, an owner function, inside its transaction).
 */
export class KeepBlockingKeysInTheirOwnTable1796400000000 implements MigrationInterface {
  name = 'KeepBlockingKeysInTheirOwnTable1796400000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "linkage_block_member" ("key" bigint NOT NULL, "source_record_id" uuid NOT NULL,
         CONSTRAINT "linkage_block_member_pkey" PRIMARY KEY ("key", "source_record_id"))`,
    );
    await queryRunner.query(`ALTER TABLE "linkage_block_member" ENABLE ROW LEVEL SECURITY`);
    await queryRunner.query(
      `CREATE POLICY "linkage_block_member_system_only" ON "linkage_block_member" USING ${SYSTEM} WITH CHECK ${SYSTEM}`,
    );
    await queryRunner.query(
      `INSERT INTO linkage_block_member (key, source_record_id)
       SELECT DISTINCT k, source_record_id FROM linkage_record, unnest(blocking_keys) k`,
    );
    await queryRunner.query(`DROP INDEX "linkage_record_blocking_keys_idx"`);
    await queryRunner.query(
      `CREATE OR REPLACE FUNCTION linkage_indexes_drop() RETURNS void LANGUAGE sql SECURITY DEFINER
       SET search_path = public
       AS $$ DROP INDEX IF EXISTS linkage_record_family_keys_idx;
             DROP INDEX IF EXISTS linkage_record_person_idx $$`,
    );
    await queryRunner.query(
      `CREATE OR REPLACE FUNCTION linkage_indexes_build() RETURNS void LANGUAGE sql SECURITY DEFINER
       SET search_path = public SET maintenance_work_mem = '512MB'
       AS $$ CREATE INDEX IF NOT EXISTS linkage_record_family_keys_idx ON linkage_record USING gin (family_keys)
               WITH (fastupdate = off);
             CREATE INDEX IF NOT EXISTS linkage_record_person_idx ON linkage_record (person_id) $$`,
    );
    // plpgsql: each statement is planned when it runs, after the one before it changed the table.
    await queryRunner.query(
      `CREATE FUNCTION linkage_block_members_rebuild() RETURNS void LANGUAGE plpgsql SECURITY DEFINER
       SET search_path = public SET maintenance_work_mem = '512MB'
       AS $$ BEGIN
         TRUNCATE linkage_block_member;
         ALTER TABLE linkage_block_member DROP CONSTRAINT linkage_block_member_pkey;
         INSERT INTO linkage_block_member (key, source_record_id)
           SELECT k, source_record_id FROM linkage_record, unnest(blocking_keys) k;
         ALTER TABLE linkage_block_member ADD CONSTRAINT linkage_block_member_pkey PRIMARY KEY (key, source_record_id);
       END $$`,
    );
    await queryRunner.query(`REVOKE ALL ON FUNCTION linkage_block_members_rebuild() FROM PUBLIC`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP FUNCTION linkage_block_members_rebuild()`);
    await queryRunner.query(
      `CREATE OR REPLACE FUNCTION linkage_indexes_drop() RETURNS void LANGUAGE sql SECURITY DEFINER
       SET search_path = public
       AS $$ DROP INDEX IF EXISTS linkage_record_blocking_keys_idx;
             DROP INDEX IF EXISTS linkage_record_family_keys_idx;
             DROP INDEX IF EXISTS linkage_record_person_idx $$`,
    );
    await queryRunner.query(
      `CREATE OR REPLACE FUNCTION linkage_indexes_build() RETURNS void LANGUAGE sql SECURITY DEFINER
       SET search_path = public SET maintenance_work_mem = '512MB'
       AS $$ CREATE INDEX IF NOT EXISTS linkage_record_blocking_keys_idx ON linkage_record USING gin (blocking_keys)
               WITH (fastupdate = off);
             CREATE INDEX IF NOT EXISTS linkage_record_family_keys_idx ON linkage_record USING gin (family_keys)
               WITH (fastupdate = off);
             CREATE INDEX IF NOT EXISTS linkage_record_person_idx ON linkage_record (person_id) $$`,
    );
    await queryRunner.query(
      `CREATE INDEX "linkage_record_blocking_keys_idx" ON "linkage_record" USING gin ("blocking_keys") WITH (fastupdate = off)`,
    );
    await queryRunner.query(`DROP TABLE "linkage_block_member"`);
  }
}

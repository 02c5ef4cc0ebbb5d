import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A batch that writes most rows afresh (a first link) also drops the secondary indexes of the persons
 * and links it writes, and builds them again once they are in: 680,000 persons went in in 3.7 s with
 * their family index kept up row by row at random, 0.5 s without it, and building it after took 0.6 s.
 * `linkage_indexes_drop` drops them with the others; `linkage_indexes_finish`, now called once persons
 * and links are written, builds them again.
 */
export class RebuildPersonAndLinkIndexesInTheBatch1796900000000 implements MigrationInterface {
  name = 'RebuildPersonAndLinkIndexesInTheBatch1796900000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE OR REPLACE FUNCTION linkage_indexes_drop() RETURNS void LANGUAGE sql SECURITY DEFINER
       SET search_path = public
       AS $$ DROP INDEX IF EXISTS linkage_record_person_idx;
             DROP INDEX IF EXISTS linked_person_family_idx;
             DROP INDEX IF EXISTS linkage_link_b_idx;
             ALTER TABLE linkage_record DISABLE TRIGGER linkage_keys_added;
             ALTER TABLE linkage_record DISABLE TRIGGER linkage_keys_changed;
             ALTER TABLE linkage_record DISABLE TRIGGER linkage_keys_removed;
             TRUNCATE linkage_key, linkage_family_key;
             ALTER TABLE linkage_key DROP CONSTRAINT IF EXISTS linkage_key_pkey;
             ALTER TABLE linkage_family_key DROP CONSTRAINT IF EXISTS linkage_family_key_pkey $$`,
    );
    await queryRunner.query(
      `CREATE OR REPLACE FUNCTION linkage_indexes_finish() RETURNS void LANGUAGE sql SECURITY DEFINER
       SET search_path = public SET maintenance_work_mem = '512MB'
       AS $$ ALTER TABLE linkage_record ENABLE TRIGGER linkage_keys_added;
             ALTER TABLE linkage_record ENABLE TRIGGER linkage_keys_changed;
             ALTER TABLE linkage_record ENABLE TRIGGER linkage_keys_removed;
             CREATE INDEX IF NOT EXISTS linkage_record_person_idx ON linkage_record (person_id);
             CREATE INDEX IF NOT EXISTS linked_person_family_idx ON linked_person (family_id);
             CREATE INDEX IF NOT EXISTS linkage_link_b_idx ON linkage_link (b) $$`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE OR REPLACE FUNCTION linkage_indexes_drop() RETURNS void LANGUAGE sql SECURITY DEFINER
       SET search_path = public
       AS $$ DROP INDEX IF EXISTS linkage_record_person_idx;
             ALTER TABLE linkage_record DISABLE TRIGGER linkage_keys_added;
             ALTER TABLE linkage_record DISABLE TRIGGER linkage_keys_changed;
             ALTER TABLE linkage_record DISABLE TRIGGER linkage_keys_removed;
             TRUNCATE linkage_key, linkage_family_key;
             ALTER TABLE linkage_key DROP CONSTRAINT IF EXISTS linkage_key_pkey;
             ALTER TABLE linkage_family_key DROP CONSTRAINT IF EXISTS linkage_family_key_pkey $$`,
    );
    await queryRunner.query(
      `CREATE OR REPLACE FUNCTION linkage_indexes_finish() RETURNS void LANGUAGE sql SECURITY DEFINER
       SET search_path = public SET maintenance_work_mem = '512MB'
       AS $$ ALTER TABLE linkage_record ENABLE TRIGGER linkage_keys_added;
             ALTER TABLE linkage_record ENABLE TRIGGER linkage_keys_changed;
             ALTER TABLE linkage_record ENABLE TRIGGER linkage_keys_removed;
             CREATE INDEX IF NOT EXISTS linkage_record_person_idx ON linkage_record (person_id) $$`,
    );
  }
}

import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A batch that rebuilds the key tables fills them from its own keys, streamed into a temporary table as
 * soon as its helper has them, while it still clusters and places persons (see
 * LinkageBatchRepository.rebuildKeys): PostgreSQL fills and sorts on its own core instead of after
 * every index row is written, 24 s of a 1,000,000-record batch. So the rebuild splits in two:
 * `linkage_keys_index` builds the key tables' primary keys once they are filled, and
 * `linkage_indexes_finish` (once the index rows are written) switches the triggers on again and builds
 * the person index. `linkage_indexes_build`, which filled the key tables from linkage_record, goes.
 */
export class FillLinkageKeysFromTheBatch1796800000000 implements MigrationInterface {
  name = 'FillLinkageKeysFromTheBatch1796800000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE FUNCTION linkage_keys_index() RETURNS void LANGUAGE sql SECURITY DEFINER
       SET search_path = public SET maintenance_work_mem = '512MB' SET max_parallel_maintenance_workers = 0
       AS $$ ALTER TABLE linkage_key ADD CONSTRAINT linkage_key_pkey PRIMARY KEY (key, source_record_id);
             ALTER TABLE linkage_family_key ADD CONSTRAINT linkage_family_key_pkey PRIMARY KEY (key, source_record_id) $$`,
    );
    await queryRunner.query(
      `CREATE FUNCTION linkage_indexes_finish() RETURNS void LANGUAGE sql SECURITY DEFINER
       SET search_path = public SET maintenance_work_mem = '512MB'
       AS $$ ALTER TABLE linkage_record ENABLE TRIGGER linkage_keys_added;
             ALTER TABLE linkage_record ENABLE TRIGGER linkage_keys_changed;
             ALTER TABLE linkage_record ENABLE TRIGGER linkage_keys_removed;
             CREATE INDEX IF NOT EXISTS linkage_record_person_idx ON linkage_record (person_id) $$`,
    );
    for (const f of ['linkage_keys_index', 'linkage_indexes_finish'])
      await queryRunner.query(`REVOKE ALL ON FUNCTION ${f}() FROM PUBLIC`);
    await queryRunner.query(`DROP FUNCTION linkage_indexes_build()`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE FUNCTION linkage_indexes_build() RETURNS void LANGUAGE sql SECURITY DEFINER
       SET search_path = public SET maintenance_work_mem = '512MB'
       AS $$ INSERT INTO linkage_key (key, source_record_id)
               SELECT k, source_record_id FROM linkage_record, unnest(blocking_keys) k;
             ALTER TABLE linkage_key ADD CONSTRAINT linkage_key_pkey PRIMARY KEY (key, source_record_id);
             INSERT INTO linkage_family_key (key, source_record_id)
               SELECT hashtextextended(k, 0), source_record_id FROM linkage_record, unnest(family_keys) k;
             ALTER TABLE linkage_family_key ADD CONSTRAINT linkage_family_key_pkey PRIMARY KEY (key, source_record_id);
             ALTER TABLE linkage_record ENABLE TRIGGER linkage_keys_added;
             ALTER TABLE linkage_record ENABLE TRIGGER linkage_keys_changed;
             ALTER TABLE linkage_record ENABLE TRIGGER linkage_keys_removed;
             CREATE INDEX IF NOT EXISTS linkage_record_person_idx ON linkage_record (person_id) $$`,
    );
    await queryRunner.query(`REVOKE ALL ON FUNCTION linkage_indexes_build() FROM PUBLIC`);
    await queryRunner.query(`DROP FUNCTION linkage_indexes_finish()`);
    await queryRunner.query(`DROP FUNCTION linkage_keys_index()`);
  }
}

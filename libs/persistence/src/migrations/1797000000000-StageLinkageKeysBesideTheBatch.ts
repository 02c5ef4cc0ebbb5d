import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A batch that rebuilds the key tables builds the new ones beside the live ones, on a second connection
 * in a transaction of its own, while its own transaction writes persons, links and index rows; then its
 * transaction swaps them in (see LinkageBatchRepository.rebuildKeys). Filled in the batch's transaction,
 * the twelve million key rows of a million records queued every later write behind them (12 s of waiting
 * at the end of the batch) on a connection that PostgreSQL serves with one process. Swapping names in
 * the batch's transaction keeps the rebuild all-or-nothing: if the batch fails, the live tables are as
 * they were, and the next rebuild empties the staged ones.
 *
 * `linkage_key_next` and `linkage_family_key_next` stay, empty, between batches (granted to the app
 * with every table; a table made by a function would need its grants made there too).
 */
export class StageLinkageKeysBesideTheBatch1797000000000 implements MigrationInterface {
  name = 'StageLinkageKeysBesideTheBatch1797000000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    for (const t of ['linkage_key_next', 'linkage_family_key_next'])
      await queryRunner.query(`CREATE TABLE ${t} (key bigint NOT NULL, source_record_id uuid NOT NULL)`);
    await queryRunner.query(
      `CREATE FUNCTION linkage_keys_stage() RETURNS void LANGUAGE sql SECURITY DEFINER
       SET search_path = public
       AS $$ TRUNCATE linkage_key_next, linkage_family_key_next;
             ALTER TABLE linkage_key_next DROP CONSTRAINT IF EXISTS linkage_key_next_pkey;
             ALTER TABLE linkage_family_key_next DROP CONSTRAINT IF EXISTS linkage_family_key_next_pkey $$`,
    );
    await queryRunner.query(
      `CREATE FUNCTION linkage_keys_next_index() RETURNS void LANGUAGE sql SECURITY DEFINER
       SET search_path = public SET maintenance_work_mem = '512MB' SET max_parallel_maintenance_workers = 0
       AS $$ ALTER TABLE linkage_key_next ADD CONSTRAINT linkage_key_next_pkey PRIMARY KEY (key, source_record_id);
             ALTER TABLE linkage_family_key_next ADD CONSTRAINT linkage_family_key_next_pkey
               PRIMARY KEY (key, source_record_id) $$`,
    );
    // Renaming a primary key renames its index. The old tables, now the staged ones, are emptied.
    await queryRunner.query(
      `CREATE FUNCTION linkage_keys_swap() RETURNS void LANGUAGE sql SECURITY DEFINER
       SET search_path = public
       AS $$ ALTER TABLE linkage_key RENAME TO linkage_key_old;
             ALTER TABLE linkage_key_next RENAME TO linkage_key;
             ALTER TABLE linkage_key_old RENAME TO linkage_key_next;
             ALTER TABLE linkage_key_next DROP CONSTRAINT linkage_key_pkey;
             ALTER TABLE linkage_key RENAME CONSTRAINT linkage_key_next_pkey TO linkage_key_pkey;
             ALTER TABLE linkage_family_key RENAME TO linkage_family_key_old;
             ALTER TABLE linkage_family_key_next RENAME TO linkage_family_key;
             ALTER TABLE linkage_family_key_old RENAME TO linkage_family_key_next;
             ALTER TABLE linkage_family_key_next DROP CONSTRAINT linkage_family_key_pkey;
             ALTER TABLE linkage_family_key RENAME CONSTRAINT linkage_family_key_next_pkey TO linkage_family_key_pkey;
             TRUNCATE linkage_key_next, linkage_family_key_next $$`,
    );
    for (const f of ['linkage_keys_stage', 'linkage_keys_next_index', 'linkage_keys_swap'])
      await queryRunner.query(`REVOKE ALL ON FUNCTION ${f}() FROM PUBLIC`);
    // The live key tables are no longer emptied in the batch's transaction, nor indexed there.
    await queryRunner.query(
      `CREATE OR REPLACE FUNCTION linkage_indexes_drop() RETURNS void LANGUAGE sql SECURITY DEFINER
       SET search_path = public
       AS $$ DROP INDEX IF EXISTS linkage_record_person_idx;
             DROP INDEX IF EXISTS linked_person_family_idx;
             DROP INDEX IF EXISTS linkage_link_b_idx;
             ALTER TABLE linkage_record DISABLE TRIGGER linkage_keys_added;
             ALTER TABLE linkage_record DISABLE TRIGGER linkage_keys_changed;
             ALTER TABLE linkage_record DISABLE TRIGGER linkage_keys_removed $$`,
    );
    await queryRunner.query(`DROP FUNCTION linkage_keys_index()`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE FUNCTION linkage_keys_index() RETURNS void LANGUAGE sql SECURITY DEFINER
       SET search_path = public SET maintenance_work_mem = '512MB' SET max_parallel_maintenance_workers = 0
       AS $$ ALTER TABLE linkage_key ADD CONSTRAINT linkage_key_pkey PRIMARY KEY (key, source_record_id);
             ALTER TABLE linkage_family_key ADD CONSTRAINT linkage_family_key_pkey PRIMARY KEY (key, source_record_id) $$`,
    );
    await queryRunner.query(`REVOKE ALL ON FUNCTION linkage_keys_index() FROM PUBLIC`);
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
    for (const f of ['linkage_keys_swap', 'linkage_keys_next_index', 'linkage_keys_stage'])
      await queryRunner.query(`DROP FUNCTION ${f}()`);
    for (const t of ['linkage_family_key_next', 'linkage_key_next']) await queryRunner.query(`DROP TABLE ${t}`);
  }
}

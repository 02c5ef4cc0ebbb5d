import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The primary key TypeORM named for linkage_record; a swapped-in table takes the name (schema checks). */
const RECORD_PKEY = 'PK_d03ae2f78e3d4cf2b035f93429f';

/** The key triggers of linkage_record (see BlockingKeysInTheirOwnTable), made again on a swapped-in table. */
const TRIGGERS = [
  `CREATE TRIGGER linkage_keys_added AFTER INSERT ON linkage_record REFERENCING NEW TABLE AS new_rows
     FOR EACH STATEMENT EXECUTE FUNCTION linkage_keys_added()`,
  `CREATE TRIGGER linkage_keys_changed AFTER UPDATE ON linkage_record REFERENCING OLD TABLE AS old_rows
     NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION linkage_keys_changed()`,
  `CREATE TRIGGER linkage_keys_removed AFTER DELETE ON linkage_record REFERENCING OLD TABLE AS old_rows
     FOR EACH STATEMENT EXECUTE FUNCTION linkage_keys_removed()`,
];

/**
 * A first link of a place writes every index row afresh: a million rows, 630 MB of COPY text and 7-15 s
 * of PostgreSQL's time, which the batch's connection spent after everything else. Now it writes them
 * on another connection, in a transaction of its own, into `linkage_record_next`, while its own
 * connection writes the gate's decisions, links, families and persons; its transaction then swaps the
 * table in (names, primary key, person index and key triggers), as it swaps the key tables (see
 * StageLinkageKeysBesideTheBatch): all or nothing, and a failed batch leaves the staged table for the
 * next one to empty.
 */
export class StageLinkageRecordsBesideTheBatch1797100000000 implements MigrationInterface {
  name = 'StageLinkageRecordsBesideTheBatch1797100000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE linkage_record_next (LIKE linkage_record INCLUDING DEFAULTS)`);
    await queryRunner.query(
      `CREATE FUNCTION linkage_records_stage() RETURNS void LANGUAGE sql SECURITY DEFINER
       SET search_path = public
       AS $$ TRUNCATE linkage_record_next;
             ALTER TABLE linkage_record_next DROP CONSTRAINT IF EXISTS linkage_record_next_pkey;
             DROP INDEX IF EXISTS linkage_record_next_person_idx $$`,
    );
    await queryRunner.query(
      `CREATE FUNCTION linkage_records_next_index() RETURNS void LANGUAGE sql SECURITY DEFINER
       SET search_path = public SET maintenance_work_mem = '512MB' SET max_parallel_maintenance_workers = 0
       AS $$ ALTER TABLE linkage_record_next ADD CONSTRAINT linkage_record_next_pkey PRIMARY KEY (source_record_id);
             CREATE INDEX linkage_record_next_person_idx ON linkage_record_next (person_id) $$`,
    );
    // The old table, now the staged one, loses its keys, index and triggers, and is emptied.
    await queryRunner.query(
      `CREATE FUNCTION linkage_records_swap() RETURNS void LANGUAGE sql SECURITY DEFINER
       SET search_path = public
       AS $$ ALTER TABLE linkage_record RENAME TO linkage_record_old;
             ALTER TABLE linkage_record_next RENAME TO linkage_record;
             ALTER TABLE linkage_record_old RENAME TO linkage_record_next;
             ALTER TABLE linkage_record_next DROP CONSTRAINT "${RECORD_PKEY}";
             DROP INDEX IF EXISTS linkage_record_person_idx;
             DROP TRIGGER linkage_keys_added ON linkage_record_next;
             DROP TRIGGER linkage_keys_changed ON linkage_record_next;
             DROP TRIGGER linkage_keys_removed ON linkage_record_next;
             ALTER TABLE linkage_record RENAME CONSTRAINT linkage_record_next_pkey TO "${RECORD_PKEY}";
             ALTER INDEX linkage_record_next_person_idx RENAME TO linkage_record_person_idx;
             ${TRIGGERS.join(';\n             ')};
             TRUNCATE linkage_record_next $$`,
    );
    for (const f of ['linkage_records_stage', 'linkage_records_next_index', 'linkage_records_swap'])
      await queryRunner.query(`REVOKE ALL ON FUNCTION ${f}() FROM PUBLIC`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const f of ['linkage_records_swap', 'linkage_records_next_index', 'linkage_records_stage'])
      await queryRunner.query(`DROP FUNCTION ${f}()`);
    await queryRunner.query(`DROP TABLE linkage_record_next`);
  }
}

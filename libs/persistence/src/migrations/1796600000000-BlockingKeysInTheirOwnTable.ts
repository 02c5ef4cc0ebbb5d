import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The blocking index moves from a GIN index on `linkage_record.blocking_keys` to a table of its own,
 * `linkage_key (key, source_record_id)` under a B-tree. At 1,000,000 records (11.8 million keys, 3.6
 * million distinct) the GIN index took 36 s to build, inserting key after key; the table fills in 15 s
 * and its B-tree sorts in 11 s on two workers. Counting a key's rows up to its rule's cap answers what
 * `linkage_block` kept counted, so that table and its upkeep go (11 s of a batch re-link).
 *
 * Triggers on linkage_record keep linkage_key equal to its `blocking_keys` unnested, whichever
 * statement writes or deletes index rows (linking, withdrawing, erasure, a batch). Statement triggers
 * with transition tables: one set-based statement for a batch's million rows, not a million calls.
 * A batch that writes most rows afresh switches them off and rebuilds the table and its key at the
 * end (linkage_indexes_drop / linkage_indexes_build), as it does the other secondary indexes. Like
 * linkage_record, the table has no row-level security (hashes and ids only; read in the system scope).
 */
export class BlockingKeysInTheirOwnTable1796600000000 implements MigrationInterface {
  name = 'BlockingKeysInTheirOwnTable1796600000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."linkage_record_blocking_keys_idx"`);
    await queryRunner.query(`CREATE TABLE "linkage_key" ("key" bigint NOT NULL, "source_record_id" uuid NOT NULL)`);
    await queryRunner.query(
      `INSERT INTO linkage_key (key, source_record_id)
       SELECT DISTINCT k, source_record_id FROM linkage_record, unnest(blocking_keys) k`,
    );
    await queryRunner.query(
      `ALTER TABLE "linkage_key" ADD CONSTRAINT "linkage_key_pkey" PRIMARY KEY ("key", "source_record_id")`,
    );
    for (const sql of BLOCKING_KEY_TRIGGER_FUNCTIONS) await queryRunner.query(sql);
    await queryRunner.query(
      `CREATE TRIGGER linkage_keys_added AFTER INSERT ON linkage_record
       REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION linkage_keys_added()`,
    );
    await queryRunner.query(
      `CREATE TRIGGER linkage_keys_changed AFTER UPDATE ON linkage_record
       REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION linkage_keys_changed()`,
    );
    await queryRunner.query(
      `CREATE TRIGGER linkage_keys_removed AFTER DELETE ON linkage_record
       REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION linkage_keys_removed()`,
    );
    await queryRunner.query(`DROP FUNCTION linkage_indexes_drop()`);
    await queryRunner.query(`DROP FUNCTION linkage_indexes_build()`);
    await queryRunner.query(
      `CREATE FUNCTION linkage_indexes_drop() RETURNS void LANGUAGE sql SECURITY DEFINER
       SET search_path = public
       AS $$ DROP INDEX IF EXISTS linkage_record_family_keys_idx;
             DROP INDEX IF EXISTS linkage_record_person_idx;
             ALTER TABLE linkage_record DISABLE TRIGGER linkage_keys_added;
             ALTER TABLE linkage_record DISABLE TRIGGER linkage_keys_changed;
             ALTER TABLE linkage_record DISABLE TRIGGER linkage_keys_removed;
             TRUNCATE linkage_key;
             ALTER TABLE linkage_key DROP CONSTRAINT IF EXISTS linkage_key_pkey $$`,
    );
    await queryRunner.query(
      `CREATE FUNCTION linkage_indexes_build() RETURNS void LANGUAGE sql SECURITY DEFINER
       SET search_path = public SET maintenance_work_mem = '512MB'
       AS $$ INSERT INTO linkage_key (key, source_record_id)
               SELECT k, source_record_id FROM linkage_record, unnest(blocking_keys) k;
             ALTER TABLE linkage_key ADD CONSTRAINT linkage_key_pkey PRIMARY KEY (key, source_record_id);
             ALTER TABLE linkage_record ENABLE TRIGGER linkage_keys_added;
             ALTER TABLE linkage_record ENABLE TRIGGER linkage_keys_changed;
             ALTER TABLE linkage_record ENABLE TRIGGER linkage_keys_removed;
             CREATE INDEX IF NOT EXISTS linkage_record_family_keys_idx ON linkage_record USING gin (family_keys)
               WITH (fastupdate = off);
             CREATE INDEX IF NOT EXISTS linkage_record_person_idx ON linkage_record (person_id) $$`,
    );
    for (const f of ['linkage_indexes_drop', 'linkage_indexes_build'])
      await queryRunner.query(`REVOKE ALL ON FUNCTION ${f}() FROM PUBLIC`);
    await queryRunner.query(`DROP FUNCTION linkage_blocks_clear()`);
    await queryRunner.query(`DROP TABLE "linkage_block"`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "linkage_block" ("key" bigint NOT NULL, "size" integer NOT NULL,
      CONSTRAINT "PK_714c6b45ed796441d3785622213" PRIMARY KEY ("key"))`);
    await queryRunner.query(`ALTER TABLE "linkage_block" ENABLE ROW LEVEL SECURITY`);
    await queryRunner.query(
      `CREATE POLICY "linkage_block_system_only" ON "linkage_block" USING (current_setting('joinedup.scope', true) = 'system') WITH CHECK (current_setting('joinedup.scope', true) = 'system')`,
    );
    await queryRunner.query(
      `INSERT INTO linkage_block (key, size) SELECT key, count(*) FROM linkage_key GROUP BY key ORDER BY key`,
    );
    await queryRunner.query(
      `CREATE FUNCTION linkage_blocks_clear() RETURNS void LANGUAGE sql SECURITY DEFINER
       SET search_path = public
       AS $$ TRUNCATE linkage_block $$`,
    );
    await queryRunner.query(`REVOKE ALL ON FUNCTION linkage_blocks_clear() FROM PUBLIC`);
    await queryRunner.query(`DROP FUNCTION linkage_indexes_drop()`);
    await queryRunner.query(`DROP FUNCTION linkage_indexes_build()`);
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
    await queryRunner.query(`DROP TRIGGER linkage_keys_removed ON linkage_record`);
    await queryRunner.query(`DROP TRIGGER linkage_keys_changed ON linkage_record`);
    await queryRunner.query(`DROP TRIGGER linkage_keys_added ON linkage_record`);
    for (const f of ['linkage_keys_added', 'linkage_keys_changed', 'linkage_keys_removed'])
      await queryRunner.query(`DROP FUNCTION ${f}()`);
    await queryRunner.query(`DROP TABLE "linkage_key"`);
    await queryRunner.query(
      `CREATE INDEX "linkage_record_blocking_keys_idx" ON "linkage_record" USING gin ("blocking_keys") WITH (fastupdate = off)`,
    );
  }
}

/** Each keeps linkage_key equal to linkage_record.blocking_keys unnested, for the rows a statement touched. */
export const BLOCKING_KEY_TRIGGER_FUNCTIONS = [
  `CREATE FUNCTION linkage_keys_added() RETURNS trigger LANGUAGE plpgsql SET search_path = public AS $$
   BEGIN
     INSERT INTO linkage_key (key, source_record_id)
     SELECT DISTINCT k, n.source_record_id FROM new_rows n, unnest(n.blocking_keys) k
     ON CONFLICT DO NOTHING;
     RETURN NULL;
   END $$`,
  `CREATE FUNCTION linkage_keys_removed() RETURNS trigger LANGUAGE plpgsql SET search_path = public AS $$
   BEGIN
     DELETE FROM linkage_key lk USING (SELECT k, o.source_record_id FROM old_rows o, unnest(o.blocking_keys) k) gone
     WHERE lk.key = gone.k AND lk.source_record_id = gone.source_record_id;
     RETURN NULL;
   END $$`,
  // Only rows whose keys changed (most updates move a person or refresh features): the keys they lost
  // go and the keys they gained come.
  `CREATE FUNCTION linkage_keys_changed() RETURNS trigger LANGUAGE plpgsql SET search_path = public AS $$
   BEGIN
     DELETE FROM linkage_key lk USING (
       SELECT k, o.source_record_id FROM old_rows o JOIN new_rows n USING (source_record_id), unnest(o.blocking_keys) k
       WHERE o.blocking_keys IS DISTINCT FROM n.blocking_keys AND NOT k = ANY (n.blocking_keys)) gone
     WHERE lk.key = gone.k AND lk.source_record_id = gone.source_record_id;
     INSERT INTO linkage_key (key, source_record_id)
     SELECT DISTINCT k, n.source_record_id FROM new_rows n JOIN old_rows o USING (source_record_id), unnest(n.blocking_keys) k
     WHERE o.blocking_keys IS DISTINCT FROM n.blocking_keys AND NOT k = ANY (o.blocking_keys)
     ON CONFLICT DO NOTHING;
     RETURN NULL;
   END $$`,
];

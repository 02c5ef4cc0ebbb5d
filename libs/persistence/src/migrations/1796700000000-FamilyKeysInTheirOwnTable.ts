import type { MigrationInterface, QueryRunner } from 'typeorm';
import { BLOCKING_KEY_TRIGGER_FUNCTIONS } from './1796600000000-BlockingKeysInTheirOwnTable.js';

/**
 * Family keys go the way blocking keys went (BlockingKeysInTheirOwnTable): from a GIN index on
 * `linkage_record.family_keys` (14 s to build at 1,000,000 records, 2 million keys, most of them
 * distinct) to `linkage_family_key (key, source_record_id)` under a B-tree, the key hashed as
 * blocking keys are (`hashtextextended(key, 0)`). The index rows keep the keys' text, which families'
 * reasons quote. The same triggers keep both tables; a batch that rebuilds refills both.
 */
export class FamilyKeysInTheirOwnTable1796700000000 implements MigrationInterface {
  name = 'FamilyKeysInTheirOwnTable1796700000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."linkage_record_family_keys_idx"`);
    await queryRunner.query(
      `CREATE TABLE "linkage_family_key" ("key" bigint NOT NULL, "source_record_id" uuid NOT NULL)`,
    );
    await queryRunner.query(
      `INSERT INTO linkage_family_key (key, source_record_id)
       SELECT DISTINCT hashtextextended(k, 0), source_record_id FROM linkage_record, unnest(family_keys) k`,
    );
    await queryRunner.query(
      `ALTER TABLE "linkage_family_key" ADD CONSTRAINT "linkage_family_key_pkey" PRIMARY KEY ("key", "source_record_id")`,
    );
    for (const sql of TRIGGER_FUNCTIONS) await queryRunner.query(sql);
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
      `CREATE OR REPLACE FUNCTION linkage_indexes_build() RETURNS void LANGUAGE sql SECURITY DEFINER
       SET search_path = public SET maintenance_work_mem = '512MB'
       AS $$ INSERT INTO linkage_key (key, source_record_id)
               SELECT k, source_record_id FROM linkage_record, unnest(blocking_keys) k;
             ALTER TABLE linkage_key ADD CONSTRAINT linkage_key_pkey PRIMARY KEY (key, source_record_id);
             INSERT INTO linkage_family_key (key, source_record_id)
               SELECT DISTINCT hashtextextended(k, 0), source_record_id FROM linkage_record, unnest(family_keys) k;
             ALTER TABLE linkage_family_key ADD CONSTRAINT linkage_family_key_pkey PRIMARY KEY (key, source_record_id);
             ALTER TABLE linkage_record ENABLE TRIGGER linkage_keys_added;
             ALTER TABLE linkage_record ENABLE TRIGGER linkage_keys_changed;
             ALTER TABLE linkage_record ENABLE TRIGGER linkage_keys_removed;
             CREATE INDEX IF NOT EXISTS linkage_record_person_idx ON linkage_record (person_id) $$`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE OR REPLACE FUNCTION linkage_indexes_drop() RETURNS void LANGUAGE sql SECURITY DEFINER
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
      `CREATE OR REPLACE FUNCTION linkage_indexes_build() RETURNS void LANGUAGE sql SECURITY DEFINER
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
    // As BlockingKeysInTheirOwnTable left them.
    for (const sql of BLOCKING_KEY_TRIGGER_FUNCTIONS)
      await queryRunner.query(sql.replace('CREATE FUNCTION', 'CREATE OR REPLACE FUNCTION'));
    await queryRunner.query(`DROP TABLE "linkage_family_key"`);
    await queryRunner.query(
      `CREATE INDEX "linkage_record_family_keys_idx" ON "linkage_record" USING gin ("family_keys") WITH (fastupdate = off)`,
    );
  }
}

/**
 * The triggers' functions (see BlockingKeysInTheirOwnTable) keeping both tables: linkage_key equal to
 * `blocking_keys` unnested, linkage_family_key to `family_keys` unnested and hashed.
 */
const TRIGGER_FUNCTIONS = [
  `CREATE OR REPLACE FUNCTION linkage_keys_added() RETURNS trigger LANGUAGE plpgsql SET search_path = public AS $$
   BEGIN
     INSERT INTO linkage_key (key, source_record_id)
     SELECT DISTINCT k, n.source_record_id FROM new_rows n, unnest(n.blocking_keys) k
     ON CONFLICT DO NOTHING;
     INSERT INTO linkage_family_key (key, source_record_id)
     SELECT DISTINCT hashtextextended(k, 0), n.source_record_id FROM new_rows n, unnest(n.family_keys) k
     ON CONFLICT DO NOTHING;
     RETURN NULL;
   END $$`,
  `CREATE OR REPLACE FUNCTION linkage_keys_removed() RETURNS trigger LANGUAGE plpgsql SET search_path = public AS $$
   BEGIN
     DELETE FROM linkage_key lk USING (SELECT k, o.source_record_id FROM old_rows o, unnest(o.blocking_keys) k) gone
     WHERE lk.key = gone.k AND lk.source_record_id = gone.source_record_id;
     DELETE FROM linkage_family_key fk
     USING (SELECT hashtextextended(k, 0) AS k, o.source_record_id FROM old_rows o, unnest(o.family_keys) k) gone
     WHERE fk.key = gone.k AND fk.source_record_id = gone.source_record_id;
     RETURN NULL;
   END $$`,
  `CREATE OR REPLACE FUNCTION linkage_keys_changed() RETURNS trigger LANGUAGE plpgsql SET search_path = public AS $$
   BEGIN
     DELETE FROM linkage_key lk USING (
       SELECT k, o.source_record_id FROM old_rows o JOIN new_rows n USING (source_record_id), unnest(o.blocking_keys) k
       WHERE o.blocking_keys IS DISTINCT FROM n.blocking_keys AND NOT k = ANY (n.blocking_keys)) gone
     WHERE lk.key = gone.k AND lk.source_record_id = gone.source_record_id;
     INSERT INTO linkage_key (key, source_record_id)
     SELECT DISTINCT k, n.source_record_id FROM new_rows n JOIN old_rows o USING (source_record_id), unnest(n.blocking_keys) k
     WHERE o.blocking_keys IS DISTINCT FROM n.blocking_keys AND NOT k = ANY (o.blocking_keys)
     ON CONFLICT DO NOTHING;
     DELETE FROM linkage_family_key fk USING (
       SELECT hashtextextended(k, 0) AS k, o.source_record_id
       FROM old_rows o JOIN new_rows n USING (source_record_id), unnest(o.family_keys) k
       WHERE o.family_keys IS DISTINCT FROM n.family_keys AND NOT k = ANY (n.family_keys)) gone
     WHERE fk.key = gone.k AND fk.source_record_id = gone.source_record_id;
     INSERT INTO linkage_family_key (key, source_record_id)
     SELECT DISTINCT hashtextextended(k, 0), n.source_record_id
     FROM new_rows n JOIN old_rows o USING (source_record_id), unnest(n.family_keys) k
     WHERE o.family_keys IS DISTINCT FROM n.family_keys AND NOT k = ANY (o.family_keys)
     ON CONFLICT DO NOTHING;
     RETURN NULL;
   END $$`,
];

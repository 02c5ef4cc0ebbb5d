import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A link's explanation (each comparison's level, label and weight) moves to a table of its own, stored
 * once and referred to by every link scored alike: half a million links at a million records share a
 * few thousand, and their copies were nine-tenths of the links table (565 MB) and of a batch's writing
 * of links. Existing explanations are named by the MD5 of their stored JSON; new ones by that of their
 * JSON as written. The table is seen in the system scope only, as the links are.
 */
export class ShareLinkExplanations1796500000000 implements MigrationInterface {
  name = 'ShareLinkExplanations1796500000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "linkage_explanation" (
         "id" uuid NOT NULL,
         "comparisons" jsonb NOT NULL,
         "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
         CONSTRAINT "PK_d0bf64e73e96355c72fa2d609f8" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`ALTER TABLE "linkage_explanation" ENABLE ROW LEVEL SECURITY`);
    await queryRunner.query(
      `CREATE POLICY "linkage_explanation_system_only" ON "linkage_explanation"
       USING (current_setting('joinedup.scope', true) = 'system')
       WITH CHECK (current_setting('joinedup.scope', true) = 'system')`,
    );
    await queryRunner.query(
      `INSERT INTO "linkage_explanation" ("id", "comparisons")
       SELECT md5(c::text)::uuid, c FROM (SELECT DISTINCT "comparisons" AS c FROM "linkage_link") x`,
    );
    await queryRunner.query(`ALTER TABLE "linkage_link" ADD "explanation_id" uuid`);
    await queryRunner.query(`UPDATE "linkage_link" SET "explanation_id" = md5("comparisons"::text)::uuid`);
    await queryRunner.query(`ALTER TABLE "linkage_link" ALTER COLUMN "explanation_id" SET NOT NULL`);
    await queryRunner.query(`ALTER TABLE "linkage_link" DROP COLUMN "comparisons"`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "linkage_link" ADD "comparisons" jsonb`);
    await queryRunner.query(
      `UPDATE "linkage_link" l SET "comparisons" = e."comparisons"
       FROM "linkage_explanation" e WHERE e."id" = l."explanation_id"`,
    );
    await queryRunner.query(`ALTER TABLE "linkage_link" ALTER COLUMN "comparisons" SET NOT NULL`);
    await queryRunner.query(`ALTER TABLE "linkage_link" DROP COLUMN "explanation_id"`);
    await queryRunner.query(`DROP TABLE "linkage_explanation"`);
  }
}

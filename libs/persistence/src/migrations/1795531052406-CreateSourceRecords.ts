import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateSourceRecords1795531052406 implements MigrationInterface {
  name = 'CreateSourceRecords1795531052406';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "intake_request" (
                "agency_id" text NOT NULL,
                "idempotency_key" text NOT NULL,
                "request_hash" text NOT NULL,
                "status_code" integer NOT NULL,
                "response" jsonb NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_e89f385b15d4639df7079b4a215" PRIMARY KEY ("agency_id", "idempotency_key")
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "record_change" (
                "seq" BIGSERIAL NOT NULL,
                "agency_id" text NOT NULL,
                "record_id" uuid NOT NULL,
                "external_id" text NOT NULL,
                "kind" text NOT NULL,
                "version" integer,
                "details" jsonb NOT NULL DEFAULT '{}',
                "at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_123c594eacdcb38a427d9932adb" PRIMARY KEY ("seq")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "record_change_agency_seq_idx" ON "record_change" ("agency_id", "seq")
        `);
    await queryRunner.query(`
            CREATE TABLE "source_record" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "agency_id" text NOT NULL,
                "external_id" text NOT NULL,
                "version" integer NOT NULL,
                "content_hash" text NOT NULL,
                "record" jsonb NOT NULL,
                "invalid_fields" text array NOT NULL DEFAULT '{}',
                "status" text NOT NULL DEFAULT 'active',
                "withdrawn_at" TIMESTAMP WITH TIME ZONE,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_23f4fc80099215aaafd658cb88b" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "source_record_agency_external_uq" ON "source_record" ("agency_id", "external_id")
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            DROP INDEX "public"."source_record_agency_external_uq"
        `);
    await queryRunner.query(`
            DROP TABLE "source_record"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."record_change_agency_seq_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "record_change"
        `);
    await queryRunner.query(`
            DROP TABLE "intake_request"
        `);
  }
}

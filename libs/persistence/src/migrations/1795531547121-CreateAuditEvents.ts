import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateAuditEvents1795531547121 implements MigrationInterface {
  name = 'CreateAuditEvents1795531547121';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "audit_event" (
                "seq" bigint NOT NULL,
                "id" uuid NOT NULL,
                "at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "type" text NOT NULL,
                "actor" jsonb NOT NULL,
                "agency_id" text,
                "purpose" text,
                "subjects" text array NOT NULL DEFAULT '{}',
                "decision" text,
                "agreement" jsonb,
                "details" jsonb NOT NULL DEFAULT '{}',
                "prev_hash" text NOT NULL,
                "hash" text NOT NULL,
                CONSTRAINT "UQ_481efbe8b0a403efe3f47a6528f" UNIQUE ("id"),
                CONSTRAINT "PK_53300da00860bdf4dc3ef7daae6" PRIMARY KEY ("seq")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "audit_event_subjects_idx" ON "audit_event" ("subjects")
        `);
    await queryRunner.query(`
            CREATE INDEX "audit_event_agency_at_idx" ON "audit_event" ("agency_id", "at")
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            DROP INDEX "public"."audit_event_agency_at_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."audit_event_subjects_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "audit_event"
        `);
  }
}

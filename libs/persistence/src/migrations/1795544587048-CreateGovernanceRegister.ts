import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateGovernanceRegister1795544587048 implements MigrationInterface {
  name = 'CreateGovernanceRegister1795544587048';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "agreement_version" (
                "id" text NOT NULL,
                "version" integer NOT NULL,
                "status" text NOT NULL,
                "parties" text array NOT NULL,
                "content" jsonb NOT NULL,
                "author" text NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_00d571d282b9616b8739bb4e8cb" PRIMARY KEY ("id", "version")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "agreement_version_status_idx" ON "agreement_version" ("status")
        `);
    await queryRunner.query(`
            CREATE TABLE "consent_record" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "subject_ids" text array NOT NULL,
                "purpose" text NOT NULL,
                "state" text NOT NULL,
                "scope" text array,
                "recorded_by" text NOT NULL,
                "evidence_ref" text NOT NULL,
                "at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "expires_at" TIMESTAMP WITH TIME ZONE,
                "agency_id" text NOT NULL,
                "supersedes" uuid,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_b357c35aea3aa0be4647282324f" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "consent_record_agency_at_idx" ON "consent_record" ("agency_id", "at")
        `);
    await queryRunner.query(`
            CREATE TABLE "governance_decision" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "purpose" text NOT NULL,
                "from_agency" text NOT NULL,
                "to_agency" text NOT NULL,
                "subjects" text array NOT NULL,
                "requested" text array NOT NULL,
                "permitted" text array NOT NULL,
                "fields" text array,
                "decision" text NOT NULL,
                "agreement_id" text,
                "agreement_version" integer,
                "consent_ref" text,
                "reasons" jsonb NOT NULL,
                "context" text NOT NULL,
                CONSTRAINT "PK_066e1d8b4134b4fcc957310a0be" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "governance_decision_to_at_idx" ON "governance_decision" ("to_agency", "at")
        `);
    await queryRunner.query(`
            CREATE INDEX "governance_decision_from_at_idx" ON "governance_decision" ("from_agency", "at")
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            DROP INDEX "public"."governance_decision_from_at_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."governance_decision_to_at_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "governance_decision"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."consent_record_agency_at_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "consent_record"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."agreement_version_status_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "agreement_version"
        `);
  }
}

import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateAuditCheckpoints1795543264767 implements MigrationInterface {
  name = 'CreateAuditCheckpoints1795543264767';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "audit_checkpoint" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "seq" bigint NOT NULL,
                "hash" text NOT NULL,
                "at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "kid" text NOT NULL,
                "jws" text NOT NULL,
                CONSTRAINT "PK_9720e45bb755b61bb1ab7d43839" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "audit_checkpoint_seq_idx" ON "audit_checkpoint" ("seq")
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            DROP INDEX "public"."audit_checkpoint_seq_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "audit_checkpoint"
        `);
  }
}

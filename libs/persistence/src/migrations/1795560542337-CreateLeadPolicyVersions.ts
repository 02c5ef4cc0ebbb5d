import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateLeadPolicyVersions1795560542337 implements MigrationInterface {
  name = 'CreateLeadPolicyVersions1795560542337';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "lead_policy_version" (
                "version" integer NOT NULL,
                "policy" jsonb NOT NULL,
                "published_by" text NOT NULL,
                "reason" text NOT NULL,
                "published_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_78d2d1c94a942f7b2edb229867e" PRIMARY KEY ("version")
            )
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            DROP TABLE "lead_policy_version"
        `);
  }
}

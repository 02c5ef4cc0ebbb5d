import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateNotifications1795560047204 implements MigrationInterface {
  name = 'CreateNotifications1795560047204';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "notification" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "agency_id" text NOT NULL,
                "person_id" uuid,
                "case_id" uuid,
                "type" text NOT NULL,
                "payload" jsonb NOT NULL,
                "disclosures" jsonb NOT NULL DEFAULT '[]',
                "status" text NOT NULL DEFAULT 'pending',
                "suppressed_reason" text,
                "read_at" TIMESTAMP WITH TIME ZONE,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_705b6c7cdf9b2c2ff7ac7872cb7" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "notification_case_idx" ON "notification" ("case_id")
        `);
    await queryRunner.query(`
            CREATE INDEX "notification_person_idx" ON "notification" ("person_id", "created_at")
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            DROP INDEX "public"."notification_person_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."notification_case_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "notification"
        `);
  }
}

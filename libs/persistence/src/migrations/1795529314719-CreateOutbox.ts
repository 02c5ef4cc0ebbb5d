import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateOutbox1795529314719 implements MigrationInterface {
  name = 'CreateOutbox1795529314719';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "outbox_event" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "topic" text NOT NULL,
                "agency_id" text,
                "payload" jsonb NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "relayed_at" TIMESTAMP WITH TIME ZONE,
                CONSTRAINT "PK_cc0c9e40998e45ecfc5e313429d" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "outbox_event_unrelayed_idx" ON "outbox_event" ("created_at")
            WHERE relayed_at IS NULL
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            DROP INDEX "public"."outbox_event_unrelayed_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "outbox_event"
        `);
  }
}

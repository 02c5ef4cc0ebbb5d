import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateWebhookDeliveries1795560252546 implements MigrationInterface {
  name = 'CreateWebhookDeliveries1795560252546';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "webhook_delivery" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "notification_id" uuid NOT NULL,
                "endpoint_id" uuid NOT NULL,
                "agency_id" text NOT NULL,
                "status" text NOT NULL DEFAULT 'pending',
                "attempts" integer NOT NULL DEFAULT '0',
                "next_attempt_at" TIMESTAMP WITH TIME ZONE,
                "last_status" integer,
                "last_error" text,
                "dead_reason" text,
                "delivered_at" TIMESTAMP WITH TIME ZONE,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_b1ae290239a778f12399db91354" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "webhook_delivery_dead_idx" ON "webhook_delivery" ("created_at")
            WHERE status = 'dead'
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "webhook_delivery_notification_endpoint_uq" ON "webhook_delivery" ("notification_id", "endpoint_id")
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            DROP INDEX "public"."webhook_delivery_notification_endpoint_uq"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."webhook_delivery_dead_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "webhook_delivery"
        `);
  }
}

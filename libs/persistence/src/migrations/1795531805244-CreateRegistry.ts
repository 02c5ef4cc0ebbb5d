import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateRegistry1795531805244 implements MigrationInterface {
  name = 'CreateRegistry1795531805244';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "agency" (
                "id" text NOT NULL,
                "name" text NOT NULL,
                "sector" text NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_ab1244724d1c216e9720635a2e5" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "api_client" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "client_id" text NOT NULL,
                "agency_id" text NOT NULL,
                "name" text NOT NULL,
                "jwks" jsonb,
                "jwks_uri" text,
                "scopes" text array NOT NULL,
                "enabled" boolean NOT NULL DEFAULT true,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_82a5ec6981d2be903a9eb1d9b9a" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "api_client_client_id_uq" ON "api_client" ("client_id")
        `);
    await queryRunner.query(`
            CREATE TABLE "broker_signing_key" (
                "kid" text NOT NULL,
                "alg" text NOT NULL,
                "public_jwk" jsonb NOT NULL,
                "private_jwk" jsonb NOT NULL,
                "status" text NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "retired_at" TIMESTAMP WITH TIME ZONE,
                CONSTRAINT "PK_e00aeb1597e60a83fd2156df154" PRIMARY KEY ("kid")
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "person" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "agency_id" text NOT NULL,
                "staff_ref" text NOT NULL,
                "email" text NOT NULL,
                "display_name" text NOT NULL,
                "roles" text array NOT NULL,
                "team" text,
                "skills" text array NOT NULL DEFAULT '{}',
                "lead_capacity" integer NOT NULL DEFAULT '0',
                "password_hash" text,
                "active" boolean NOT NULL DEFAULT true,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_5fdaf670315c4b7e70cce85daa3" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "person_email_uq" ON "person" ("email")
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "person_agency_ref_uq" ON "person" ("agency_id", "staff_ref")
        `);
    await queryRunner.query(`
            CREATE TABLE "webhook_endpoint" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "agency_id" text NOT NULL,
                "url" text NOT NULL,
                "secret" text NOT NULL,
                "event_types" text array NOT NULL,
                "enabled" boolean NOT NULL DEFAULT true,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_6c98112122b2b8a4f3984d2efa8" PRIMARY KEY ("id")
            )
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            DROP TABLE "webhook_endpoint"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."person_agency_ref_uq"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."person_email_uq"
        `);
    await queryRunner.query(`
            DROP TABLE "person"
        `);
    await queryRunner.query(`
            DROP TABLE "broker_signing_key"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."api_client_client_id_uq"
        `);
    await queryRunner.query(`
            DROP TABLE "api_client"
        `);
    await queryRunner.query(`
            DROP TABLE "agency"
        `);
  }
}

import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateLinkageRunsAndModelVersions1796094738432 implements MigrationInterface {
  name = 'CreateLinkageRunsAndModelVersions1796094738432';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "linkage_model_version" (
                "version" text NOT NULL,
                "model" jsonb NOT NULL,
                "status" text NOT NULL,
                "based_on" text,
                "reason" text NOT NULL,
                "proposed_by" text NOT NULL,
                "preview_run_id" uuid,
                "publish_run_id" uuid,
                "published_by" text,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "published_at" TIMESTAMP WITH TIME ZONE,
                CONSTRAINT "PK_af614e97f4191ee9c8c4f34188d" PRIMARY KEY ("version")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "linkage_model_version_published_idx" ON "linkage_model_version" ("status")
            WHERE status = 'published'
        `);
    await queryRunner.query(`
            CREATE TABLE "linkage_run" (
                "id" uuid NOT NULL,
                "model_version" text NOT NULL,
                "dry_run" boolean NOT NULL,
                "partitions" integer NOT NULL,
                "status" text NOT NULL,
                "requested_by" text NOT NULL,
                "diff" jsonb,
                "error" text,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "finished_at" TIMESTAMP WITH TIME ZONE,
                CONSTRAINT "PK_25b5b9515bc538799d491230558" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "linkage_run_created_idx" ON "linkage_run" ("created_at")
        `);
    await queryRunner.query(`
            CREATE TABLE "linkage_run_pair" (
                "run_id" uuid NOT NULL,
                "a" uuid NOT NULL,
                "b" uuid NOT NULL,
                "partition" integer NOT NULL,
                "probability" double precision NOT NULL,
                "comparisons" jsonb NOT NULL,
                CONSTRAINT "PK_600203a81115c2d73c8ef6c7602" PRIMARY KEY ("run_id", "a", "b")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "linkage_run_pair_partition_idx" ON "linkage_run_pair" ("run_id", "partition")
        `);
    await queryRunner.query(`
            CREATE TABLE "linkage_run_partition" (
                "run_id" uuid NOT NULL,
                "partition" integer NOT NULL,
                "worker" text NOT NULL,
                "records" integer NOT NULL,
                "candidate_pairs" bigint NOT NULL,
                "scored_pairs" bigint NOT NULL,
                "seconds" double precision NOT NULL,
                "finished_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                CONSTRAINT "PK_2d3a96ef82aa1aeb5a02b08c23f" PRIMARY KEY ("run_id", "partition")
            )
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            DROP TABLE "linkage_run_partition"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."linkage_run_pair_partition_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "linkage_run_pair"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."linkage_run_created_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "linkage_run"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."linkage_model_version_published_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "linkage_model_version"
        `);
  }
}

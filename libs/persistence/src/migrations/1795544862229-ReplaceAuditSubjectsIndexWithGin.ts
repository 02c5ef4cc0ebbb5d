import { MigrationInterface, QueryRunner } from 'typeorm';

export class ReplaceAuditSubjectsIndexWithGin1795544862229 implements MigrationInterface {
  name = 'ReplaceAuditSubjectsIndexWithGin1795544862229';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            DROP INDEX "public"."audit_event_subjects_idx"
        `);
    await queryRunner.query(`
            CREATE INDEX "audit_event_subjects_idx" ON "audit_event" USING gin ("subjects")
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            DROP INDEX "public"."audit_event_subjects_idx"
        `);
    await queryRunner.query(`
            CREATE INDEX "audit_event_subjects_idx" ON "audit_event" USING btree ("subjects")
        `);
  }
}

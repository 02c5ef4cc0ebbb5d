import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Signed checkpoints are evidence like the chain they sign: a trigger refuses UPDATE, DELETE and TRUNCATE
 * for everyone, and the app role is granted only SELECT and INSERT (APPEND_ONLY_TABLES in database-setup).
 */
export class MakeAuditCheckpointsAppendOnly1795543265767 implements MigrationInterface {
  name = 'MakeAuditCheckpointsAppendOnly1795543265767';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE FUNCTION audit_checkpoint_refuse_change() RETURNS trigger LANGUAGE plpgsql AS \$\$
      BEGIN
        RAISE EXCEPTION 'audit_checkpoint is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
      END \$\$`);
    await queryRunner.query(
      `CREATE TRIGGER audit_checkpoint_append_only BEFORE UPDATE OR DELETE ON audit_checkpoint FOR EACH ROW EXECUTE FUNCTION audit_checkpoint_refuse_change()`,
    );
    await queryRunner.query(
      `CREATE TRIGGER audit_checkpoint_no_truncate BEFORE TRUNCATE ON audit_checkpoint FOR EACH STATEMENT EXECUTE FUNCTION audit_checkpoint_refuse_change()`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER audit_checkpoint_no_truncate ON audit_checkpoint`);
    await queryRunner.query(`DROP TRIGGER audit_checkpoint_append_only ON audit_checkpoint`);
    await queryRunner.query(`DROP FUNCTION audit_checkpoint_refuse_change()`);
  }
}

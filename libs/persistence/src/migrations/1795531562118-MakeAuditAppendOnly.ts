import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The audit log is append-only for everyone: a trigger refuses UPDATE, DELETE and TRUNCATE, and the app
 * role is granted only SELECT and INSERT (scripts/db-setup grants, see APPEND_ONLY_TABLES). Tampering
 * is still possible for a superuser who disables the trigger; the hash chain is what detects it.
 */
export class MakeAuditAppendOnly1795531562118 implements MigrationInterface {
  name = 'MakeAuditAppendOnly1795531562118';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE FUNCTION audit_event_refuse_change() RETURNS trigger LANGUAGE plpgsql AS \$\$
      BEGIN
        RAISE EXCEPTION 'audit_event is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
      END \$\$`);
    await queryRunner.query(
      `CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE ON audit_event FOR EACH ROW EXECUTE FUNCTION audit_event_refuse_change()`,
    );
    await queryRunner.query(
      `CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event FOR EACH STATEMENT EXECUTE FUNCTION audit_event_refuse_change()`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER audit_event_no_truncate ON audit_event`);
    await queryRunner.query(`DROP TRIGGER audit_event_append_only ON audit_event`);
    await queryRunner.query(`DROP FUNCTION audit_event_refuse_change()`);
  }
}

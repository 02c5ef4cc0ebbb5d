import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The governance register is a record of decisions: agreement versions, consent records and
 * decisions are only ever appended (a change is a new version, a withdrawal a new consent record).
 * A trigger refuses UPDATE, DELETE and TRUNCATE for everyone; the app role is also granted only
 * SELECT and INSERT (APPEND_ONLY_TABLES). Hand-written: TypeORM does not generate triggers.
 */
const TABLES = ['agreement_version', 'consent_record', 'governance_decision'];

export class MakeGovernanceAppendOnly1795544589048 implements MigrationInterface {
  name = 'MakeGovernanceAppendOnly1795544589048';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE FUNCTION governance_refuse_change() RETURNS trigger LANGUAGE plpgsql AS \$\$
      BEGIN
        RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
      END \$\$`);
    for (const table of TABLES) {
      await queryRunner.query(
        `CREATE TRIGGER ${table}_append_only BEFORE UPDATE OR DELETE ON ${table} FOR EACH ROW EXECUTE FUNCTION governance_refuse_change()`,
      );
      await queryRunner.query(
        `CREATE TRIGGER ${table}_no_truncate BEFORE TRUNCATE ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION governance_refuse_change()`,
      );
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of TABLES) {
      await queryRunner.query(`DROP TRIGGER ${table}_no_truncate ON ${table}`);
      await queryRunner.query(`DROP TRIGGER ${table}_append_only ON ${table}`);
    }
    await queryRunner.query(`DROP FUNCTION governance_refuse_change()`);
  }
}

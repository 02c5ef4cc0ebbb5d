import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Row-level security on the intake tables: the second line behind agency-scoped repositories.
 * Hand-written: TypeORM does not generate policies. The policy text is frozen here on purpose.
 */
const TABLES = ['source_record', 'record_change', 'intake_request'];
const VISIBLE = `(agency_id = current_setting('joinedup.agency_id', true) OR current_setting('joinedup.scope', true) = 'system')`;

export class IsolateIntakeByAgency1795531087042 implements MigrationInterface {
  name = 'IsolateIntakeByAgency1795531087042';

  public async up(queryRunner: QueryRunner): Promise<void> {
    for (const table of TABLES) {
      await queryRunner.query(`ALTER TABLE "${table}" ENABLE ROW LEVEL SECURITY`);
      await queryRunner.query(
        `CREATE POLICY "${table}_agency_isolation" ON "${table}" USING ${VISIBLE} WITH CHECK ${VISIBLE}`,
      );
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of TABLES) {
      await queryRunner.query(`DROP POLICY "${table}_agency_isolation" ON "${table}"`);
      await queryRunner.query(`ALTER TABLE "${table}" DISABLE ROW LEVEL SECURITY`);
    }
  }
}

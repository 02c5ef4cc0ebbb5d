import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Row-level security on the agency-owned registry tables: the second line behind agency-scoped repositories.
 * Hand-written: TypeORM does not generate policies. The policy text is frozen here on purpose.
 */
const TABLES = ['api_client', 'person', 'webhook_endpoint'];
const VISIBLE = `(agency_id = current_setting('joinedup.agency_id', true) OR current_setting('joinedup.scope', true) = 'system')`;

export class IsolateRegistryByAgency1795531812439 implements MigrationInterface {
  name = 'IsolateRegistryByAgency1795531812439';

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

import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Linkage tables hold derived personal data across agencies: only broker-internal processing (the system
 * scope) sees them. Agencies see persons and families only through governed reads. Hand-written: TypeORM
 * does not generate policies.
 */
const TABLES = ['linkage_record', 'linked_person', 'family', 'linkage_link', 'linkage_decision', 'linkage_change'];
const SYSTEM = `(current_setting('joinedup.scope', true) = 'system')`;

export class IsolateLinkageToSystem1795546174406 implements MigrationInterface {
  name = 'IsolateLinkageToSystem1795546174406';

  public async up(queryRunner: QueryRunner): Promise<void> {
    for (const table of TABLES) {
      await queryRunner.query(`ALTER TABLE "${table}" ENABLE ROW LEVEL SECURITY`);
      await queryRunner.query(
        `CREATE POLICY "${table}_system_only" ON "${table}" USING ${SYSTEM} WITH CHECK ${SYSTEM}`,
      );
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of TABLES) {
      await queryRunner.query(`DROP POLICY "${table}_system_only" ON "${table}"`);
      await queryRunner.query(`ALTER TABLE "${table}" DISABLE ROW LEVEL SECURITY`);
    }
  }
}

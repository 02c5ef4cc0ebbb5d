import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Cases tie persons of several agencies together: only broker-internal processing (the system scope)
 * reads them, and the case API decides what each caller may see. Hand-written: TypeORM does not
 * generate policies.
 */
const TABLES = ['coordinated_case', 'case_event', 'lead_offer'];
const SYSTEM = `(current_setting('joinedup.scope', true) = 'system')`;

export class IsolateCasesToSystem1795559745746 implements MigrationInterface {
  name = 'IsolateCasesToSystem1795559745746';

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

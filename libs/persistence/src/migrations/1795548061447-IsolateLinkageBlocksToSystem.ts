import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Block sizes describe the linkage index: visible to the system scope only, like the index itself. */
const SYSTEM = `(current_setting('joinedup.scope', true) = 'system')`;

export class IsolateLinkageBlocksToSystem1795548061447 implements MigrationInterface {
  name = 'IsolateLinkageBlocksToSystem1795548061447';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "linkage_block" ENABLE ROW LEVEL SECURITY`);
    await queryRunner.query(
      `CREATE POLICY "linkage_block_system_only" ON "linkage_block" USING ${SYSTEM} WITH CHECK ${SYSTEM}`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP POLICY "linkage_block_system_only" ON "linkage_block"`);
    await queryRunner.query(`ALTER TABLE "linkage_block" DISABLE ROW LEVEL SECURITY`);
  }
}

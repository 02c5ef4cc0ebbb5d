import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Row-level security makes PostgreSQL evaluate the policy before any operator that is not leakproof,
 * and the array operators of the blocking index (&&, @>) are not: every lookup became a sequential
 * scan of the whole index (120 ms at 100,000 records instead of 1 ms). The blocking index is read only
 * by broker-internal code in the system scope; its protection is the app role's grants and those code
 * paths, as for the other system tables. The other linkage tables keep their policy (their lookups
 * use leakproof equality).
 */
export class IndexLookupsWithoutRowSecurity1795548066445 implements MigrationInterface {
  name = 'IndexLookupsWithoutRowSecurity1795548066445';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP POLICY "linkage_record_system_only" ON "linkage_record"`);
    await queryRunner.query(`ALTER TABLE "linkage_record" DISABLE ROW LEVEL SECURITY`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "linkage_record" ENABLE ROW LEVEL SECURITY`);
    await queryRunner.query(
      `CREATE POLICY "linkage_record_system_only" ON "linkage_record" USING (current_setting('joinedup.scope', true) = 'system') WITH CHECK (current_setting('joinedup.scope', true) = 'system')`,
    );
  }
}

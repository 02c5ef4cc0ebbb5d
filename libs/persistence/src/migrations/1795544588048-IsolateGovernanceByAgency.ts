import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Row-level security on the governance register. Hand-written: TypeORM does not generate policies.
 * - agreement_version: visible to every party agency (IG officers of each party read and approve it).
 * - consent_record: visible to the agency that recorded it; the engine reads all in the system scope.
 * - governance_decision: visible to both the disclosing and the receiving agency.
 * The policy text is frozen here on purpose.
 */
const SYSTEM = `current_setting('joinedup.scope', true) = 'system'`;
const AGENCY = `current_setting('joinedup.agency_id', true)`;
const POLICIES: Record<string, string> = {
  agreement_version: `(${AGENCY} = ANY (parties) OR ${SYSTEM})`,
  consent_record: `(agency_id = ${AGENCY} OR ${SYSTEM})`,
  governance_decision: `(from_agency = ${AGENCY} OR to_agency = ${AGENCY} OR ${SYSTEM})`,
};

export class IsolateGovernanceByAgency1795544588048 implements MigrationInterface {
  name = 'IsolateGovernanceByAgency1795544588048';

  public async up(queryRunner: QueryRunner): Promise<void> {
    for (const [table, visible] of Object.entries(POLICIES)) {
      await queryRunner.query(`ALTER TABLE "${table}" ENABLE ROW LEVEL SECURITY`);
      await queryRunner.query(
        `CREATE POLICY "${table}_agency_isolation" ON "${table}" USING ${visible} WITH CHECK ${visible}`,
      );
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of Object.keys(POLICIES)) {
      await queryRunner.query(`DROP POLICY "${table}_agency_isolation" ON "${table}"`);
      await queryRunner.query(`ALTER TABLE "${table}" DISABLE ROW LEVEL SECURITY`);
    }
  }
}

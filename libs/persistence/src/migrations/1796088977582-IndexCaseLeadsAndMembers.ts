import { MigrationInterface, QueryRunner } from 'typeorm';

/** Indexes for choosing a lead: a worker's open caseload, and open cases holding any of a family's persons. */
export class IndexCaseLeadsAndMembers1796088977582 implements MigrationInterface {
  name = 'IndexCaseLeadsAndMembers1796088977582';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE INDEX "coordinated_case_open_lead_idx" ON "coordinated_case" ("lead_worker_id")
            WHERE status = 'open'
        `);
    // Continuity asks which open cases hold any of a family's persons (member_ids && $1): GIN, by hand.
    await queryRunner.query(`CREATE INDEX coordinated_case_members_gin ON coordinated_case USING gin (member_ids)`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX coordinated_case_members_gin`);
    await queryRunner.query(`
            DROP INDEX "public"."coordinated_case_open_lead_idx"
        `);
  }
}

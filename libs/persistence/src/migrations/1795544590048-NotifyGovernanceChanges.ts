import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Tells every api and worker process at commit that an agreement version or consent record was
 * added, so their decision engines catch up within a second (a withdrawal must bite everywhere
 * within 5 s). The payload holds the table and ids only, never personal data. Also the GIN index
 * that finds a subject's consent records (declared with synchronize: false on the entity).
 */
export class NotifyGovernanceChanges1795544590048 implements MigrationInterface {
  name = 'NotifyGovernanceChanges1795544590048';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE FUNCTION governance_notify() RETURNS trigger LANGUAGE plpgsql AS \$\$
      BEGIN
        PERFORM pg_notify('joinedup_governance',
          json_build_object('table', TG_TABLE_NAME, 'id', NEW.id::text, 'version', to_jsonb(NEW)->'version')::text);
        RETURN NULL;
      END \$\$`);
    for (const table of ['agreement_version', 'consent_record']) {
      await queryRunner.query(
        `CREATE TRIGGER ${table}_notify AFTER INSERT ON ${table} FOR EACH ROW EXECUTE FUNCTION governance_notify()`,
      );
    }
    await queryRunner.query(`CREATE INDEX consent_record_subjects_gin ON consent_record USING gin (subject_ids)`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX consent_record_subjects_gin`);
    for (const table of ['agreement_version', 'consent_record']) {
      await queryRunner.query(`DROP TRIGGER ${table}_notify ON ${table}`);
    }
    await queryRunner.query(`DROP FUNCTION governance_notify()`);
  }
}

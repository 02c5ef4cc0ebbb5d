import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Wakes outbox relays as soon as a transaction that wrote outbox rows commits (NOTIFY is delivered on
 * commit). Hand-written: TypeORM does not generate triggers. The relay also sweeps on a schedule.
 */
export class NotifyOutbox1795529541919 implements MigrationInterface {
  name = 'NotifyOutbox1795529541919';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE FUNCTION outbox_event_notify() RETURNS trigger LANGUAGE plpgsql AS \$\$
      BEGIN
        PERFORM pg_notify('joinedup_outbox', '');
        RETURN NULL;
      END \$\$`);
    await queryRunner.query(
      `CREATE TRIGGER outbox_event_notify AFTER INSERT ON outbox_event FOR EACH STATEMENT EXECUTE FUNCTION outbox_event_notify()`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER outbox_event_notify ON outbox_event`);
    await queryRunner.query(`DROP FUNCTION outbox_event_notify()`);
  }
}

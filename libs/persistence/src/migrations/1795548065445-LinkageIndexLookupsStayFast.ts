import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * GIN's pending list makes inserts cheap but every lookup scans the whole list: linking one record looks
 * up its blocks and family keys each time, so the linkage indexes take their entries at once instead.
 */
const INDEXES = ['linkage_record_blocking_keys_idx', 'linkage_record_family_keys_idx'];

export class LinkageIndexLookupsStayFast1795548065445 implements MigrationInterface {
  name = 'LinkageIndexLookupsStayFast1795548065445';

  public async up(queryRunner: QueryRunner): Promise<void> {
    for (const index of INDEXES) await queryRunner.query(`ALTER INDEX "${index}" SET (fastupdate = off)`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const index of INDEXES) await queryRunner.query(`ALTER INDEX "${index}" RESET (fastupdate)`);
  }
}

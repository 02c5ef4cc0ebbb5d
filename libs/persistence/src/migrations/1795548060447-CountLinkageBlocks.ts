import { MigrationInterface, QueryRunner } from 'typeorm';

export class CountLinkageBlocks1795548060447 implements MigrationInterface {
  name = 'CountLinkageBlocks1795548060447';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "linkage_block" (
                "key" text NOT NULL,
                "size" integer NOT NULL,
                CONSTRAINT "PK_714c6b45ed796441d3785622213" PRIMARY KEY ("key")
            )
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            DROP TABLE "linkage_block"
        `);
  }
}

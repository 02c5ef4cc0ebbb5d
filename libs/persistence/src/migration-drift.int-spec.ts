import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { createTestDatabase, type TestDatabase } from '@joinedup/testing';
import { createDataSource, ENTITIES } from '@joinedup/persistence';

/** An entity no migration creates: the check must notice it, or it could never fail. */
@Entity({ name: 'drift_probe' })
class DriftProbeEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'text' })
  note!: string;
}

async function pendingSchemaChanges(url: string, entities: Function[]): Promise<string[]> {
  const dataSource = createDataSource(url, { entities });
  await dataSource.initialize();
  try {
    const sql = await dataSource.driver.createSchemaBuilder().log();
    return sql.upQueries.map((query) => query.query);
  } finally {
    await dataSource.destroy();
  }
}

describe('entities and migrations', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db.drop();
  });

  it('agree: a migrated database needs no schema change for the mapped entities', async () => {
    expect(await pendingSchemaChanges(db.ownerUrl, ENTITIES)).toEqual([]);
  });

  it('disagree as soon as an entity has no migration (the check can fail)', async () => {
    const changes = await pendingSchemaChanges(db.ownerUrl, [...ENTITIES, DriftProbeEntity]);
    expect(changes.join('\n')).toContain('CREATE TABLE "drift_probe"');
  });

  it('never synchronise', () => {
    expect(createDataSource(db.appUrl).options.synchronize).toBe(false);
  });
});

import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { createDataSource, LinkageBatchRepository, withSystemScope } from '@joinedup/persistence';
import { createTestDatabase, type TestDatabase } from '@joinedup/testing';

describe('LinkageBatchRepository: families and persons streamed in', () => {
  let db: TestDatabase;
  let dataSource: DataSource;
  const batch = new LinkageBatchRepository();
  beforeAll(async () => {
    db = await createTestDatabase();
    dataSource = createDataSource(db.appUrl);
    await dataSource.initialize();
  });
  afterAll(async () => {
    await dataSource.destroy();
    await db.drop();
  });

  const read = () =>
    withSystemScope(dataSource, async (m) => ({
      families: await m.query<{ id: string; reasons: string[]; status: string }[]>(
        `SELECT id, reasons, status FROM family ORDER BY id`,
      ),
      persons: await m.query<{ id: string; family_id: string; xmin: string }[]>(
        `SELECT id, family_id, xmin::text AS xmin FROM linked_person ORDER BY id`,
      ),
    }));

  it('writes every family with its reasons exactly, whatever they hold, and every person with its family', async () => {
    const reasons = ['shares an address (UPRN)', 'a "quoted", {braced} reason', 'back\\slash\tand tab', 'Siân’s'];
    const families = [
      { id: randomUUID(), reasons },
      { id: randomUUID(), reasons: [] },
    ].sort((x, y) => (x.id < y.id ? -1 : 1));
    const persons = Array.from({ length: 3 }, (_, i) => ({ id: randomUUID(), family: families[i % 2]!.id })).sort(
      (x, y) => (x.id < y.id ? -1 : 1),
    );
    await withSystemScope(dataSource, async (m) => {
      await batch.writeFamilies(m, families);
      await batch.writePersons(m, persons);
    });
    const stored = await read();
    expect(stored.families).toEqual(families.map((f) => ({ ...f, status: 'active' })));
    expect(stored.persons.map((p) => ({ id: p.id, family: p.family_id }))).toEqual(persons);

    // Written again with one person moved: only that row is rewritten (a new row version).
    const other = (family: string) => (family === families[0]!.id ? families[1]!.id : families[0]!.id);
    const moved = persons.map((p, i) => (i === 0 ? { ...p, family: other(p.family) } : p));
    await withSystemScope(dataSource, async (m) => {
      await batch.writeFamilies(m, families);
      await batch.writePersons(m, moved);
    });
    const again = await read();
    expect(again.persons.map((p) => ({ id: p.id, family: p.family_id }))).toEqual(moved);
    expect(again.persons.filter((p, i) => p.xmin !== stored.persons[i]!.xmin).map((p) => p.id)).toEqual([
      persons[0]!.id,
    ]);
  });
});

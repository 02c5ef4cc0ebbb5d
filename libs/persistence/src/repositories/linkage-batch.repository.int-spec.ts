import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import {
  createDataSource,
  LinkageBatchRepository,
  LinkageRepository,
  md5Uuid,
  type StoredLink,
  withSystemScope,
} from '@joinedup/persistence';
import { copyTextFields, textArrayLiteral } from '@joinedup/core';
import { createTestDatabase, type TestDatabase } from '@joinedup/testing';

// One database for the file: each part writes tables the others do not read.
let db: TestDatabase;
let dataSource: DataSource;
beforeAll(async () => {
  db = await createTestDatabase();
  dataSource = createDataSource(db.appUrl);
  await dataSource.initialize();
});
afterAll(async () => {
  await dataSource.destroy();
  await db.drop();
});

describe('LinkageBatchRepository: families and persons streamed in', () => {
  const batch = new LinkageBatchRepository();

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

describe('LinkageBatchRepository: links share their explanations', () => {
  const batch = new LinkageBatchRepository();
  const repo = new LinkageRepository();

  const explanation = (level: number) => [
    { name: 'given', level, label: `level ${level}, with "quotes", a tab\tand Siân’s`, weight: level * 1.5 },
    { name: 'dob', level: 0, label: 'exact', weight: 4.25 },
  ];
  const link = (a: string, b: string, level: number, shared?: string): StoredLink => ({
    ...(a < b ? { a, b } : { a: b, b: a }),
    probability: 0.5 + level / 10,
    decision: 'link',
    governance: 'allowed',
    comparisons: explanation(level),
    comparisonsJson: shared,
    modelVersion: 'v1',
  });
  const counts = () =>
    withSystemScope(dataSource, async (m) => {
      const [row] = await m.query<{ links: number; explanations: number }[]>(
        `SELECT (SELECT count(*) FROM linkage_link)::int AS links, (SELECT count(*) FROM linkage_explanation)::int AS explanations`,
      );
      return row!;
    });

  it('names an explanation by the MD5 of its JSON text exactly as PostgreSQL does', async () => {
    const texts = ['', '[]', JSON.stringify(explanation(2)), 'Siân’s Zoë 😀'];
    const [row] = await dataSource.query<{ ids: string[] }[]>(
      `SELECT array_agg(md5(t)::uuid::text ORDER BY o) AS ids
      FROM unnest($1::text[]) WITH ORDINALITY AS x(t, o)`,
      [texts],
    );
    expect(texts.map(md5Uuid)).toEqual(row!.ids);
  });

  it('writes each distinct explanation once for a batch, reads every link with its own, and lets unused ones go', async () => {
    const ids = Array.from({ length: 40 }, () => randomUUID());
    const shared = [1, 2, 3].map((level) => JSON.stringify(explanation(level)));
    // Thirty links scored three ways, some sharing one JSON string (as a batch gives them), some not.
    const links = ids
      .slice(0, 30)
      .map((id, i) => link(id, ids[i + 1]!, (i % 3) + 1, i % 2 === 0 ? shared[i % 3] : undefined))
      .sort((x, y) => (x.a < y.a ? -1 : x.a > y.a ? 1 : x.b < y.b ? -1 : 1));
    await withSystemScope(dataSource, (m) => batch.replaceAllLinks(m, links));
    expect(await counts()).toEqual({ links: 30, explanations: 3 });
    const read = await withSystemScope(dataSource, (m) => repo.linksAmong(m, ids));
    expect(read).toHaveLength(30);
    for (const l of read) {
      const given = links.find((x) => x.a === l.a && x.b === l.b)!;
      expect(l.comparisons).toEqual(given.comparisons);
    }

    // A single record's links (the incremental path) reuse the stored explanation and add a new one.
    await withSystemScope(dataSource, (m) =>
      repo.replaceLinksOf(m, [ids[35]!], [link(ids[35]!, ids[36]!, 2), link(ids[35]!, ids[37]!, 7)]),
    );
    expect(await counts()).toEqual({ links: 32, explanations: 4 });
    const one = await withSystemScope(dataSource, (m) => repo.link(m, ids[37]!, ids[35]!));
    expect(one!.comparisons).toEqual(explanation(7));

    // The next batch uses one of them: the others go.
    await withSystemScope(dataSource, (m) => batch.replaceAllLinks(m, [link(ids[0]!, ids[1]!, 7)]));
    expect(await counts()).toEqual({ links: 1, explanations: 1 });
    const [kept] = await withSystemScope(dataSource, (m) => repo.linksAmong(m, [ids[0]!, ids[1]!]));
    expect(kept!.comparisons).toEqual(explanation(7));
  });
});

describe('LinkageBatchRepository: index rows', () => {
  const batch = new LinkageBatchRepository();

  const row = (
    id: string,
    family: string[],
    person = randomUUID(),
    features = ['ref', 'Siân\tO\\Brien'],
    keys = [1n, -(2n ** 63n)],
  ) => ({
    id,
    agency: 'csc',
    row: Buffer.from(copyTextFields([JSON.stringify(features), `{${keys.join(',')}}`, textArrayLiteral(family)])),
    personId: person,
  });
  const stored = () =>
    withSystemScope(dataSource, (m) =>
      m.query<{ id: string; person: string; features: unknown; keys: string[]; family: string[]; xmin: string }[]>(
        `SELECT source_record_id AS id, person_id AS person, features, blocking_keys AS keys, family_keys AS family,
                xmin::text AS xmin
         FROM linkage_record ORDER BY source_record_id`,
      ),
    );
  /** linkage_key's and linkage_family_key's rows, and what they must be: every index row's keys. */
  const keyRows = () =>
    withSystemScope(dataSource, async (m) => ({
      stored: await m.query(`SELECT key::text, source_record_id AS id FROM linkage_key ORDER BY 1, 2`),
      unnested: await m.query(
        `SELECT k::text AS key, source_record_id AS id FROM linkage_record, unnest(blocking_keys) k ORDER BY 1, 2`,
      ),
      family: await m.query(`SELECT key::text, source_record_id AS id FROM linkage_family_key ORDER BY 1, 2`),
      familyUnnested: await m.query(
        `SELECT hashtextextended(k, 0)::text AS key, source_record_id AS id FROM linkage_record, unnest(family_keys) k
         ORDER BY 1, 2`,
      ),
    }));

  it('writes new rows straight in and upserts indexed ones, keeping every value exactly and rewriting only what differs', async () => {
    const ids = Array.from({ length: 4 }, () => randomUUID()).sort();
    const family = ['household:csc/a "quoted", {braced} ref', 'back\\slash\tand tab', 'uprn:10001'];
    const first = ids.slice(0, 3).map((id, i) => row(id, i === 0 ? family : []));
    const secondary = (m: Pick<typeof dataSource, 'query'>) =>
      m.query<{ indexname: string }[]>(
        `SELECT indexname FROM pg_indexes WHERE indexname IN ('linked_person_family_idx', 'linkage_link_b_idx',
           'linkage_record_person_idx') ORDER BY 1`,
      );
    await withSystemScope(dataSource, async (m) => {
      const rebuild = await batch.rebuildKeys(m, first);
      // A rebuild drops the secondary indexes of what a first link writes afresh; writing the rows builds them again.
      expect(await secondary(m)).toEqual([]);
      // Every row new: staged beside and swapped in (the upserts below go through its key triggers).
      await batch.writeIndex(m, [], [], await batch.stageRecords(m, rebuild, first));
    });
    // The swapped-in table has the live one's primary key (by name, as the entity declares it) and triggers.
    const [table] = await dataSource.query<{ pkey: string; triggers: string[] }[]>(
      `SELECT (SELECT conname FROM pg_constraint WHERE conrelid = 'linkage_record'::regclass AND contype = 'p') AS pkey,
              ARRAY(SELECT tgname::text FROM pg_trigger WHERE tgrelid = 'linkage_record'::regclass AND tgenabled = 'O'
                    ORDER BY 1) AS triggers`,
    );
    expect(table).toEqual({
      pkey: 'PK_d03ae2f78e3d4cf2b035f93429f',
      triggers: ['linkage_keys_added', 'linkage_keys_changed', 'linkage_keys_removed'],
    });
    expect((await secondary(dataSource)).map((i) => i.indexname)).toEqual([
      'linkage_link_b_idx',
      'linkage_record_person_idx',
      'linked_person_family_idx',
    ]);
    const written = await stored();
    expect(written.map((r) => r.id)).toEqual(ids.slice(0, 3));
    expect(written[0]!.family).toEqual(family);
    expect(written[1]!.family).toEqual([]);
    expect(written[0]!.features).toEqual(['ref', 'Siân\tO\\Brien']);
    expect(written[0]!.keys).toEqual(['1', String(-(2n ** 63n))]);
    expect(written[0]!.person).toBe(first[0]!.personId);
    // The blocking index was built again from the rows: two keys each.
    const built = await keyRows();
    expect(built.stored).toHaveLength(6);
    expect(built.stored).toEqual(built.unnested);
    expect(built.family).toHaveLength(family.length);
    expect(built.family).toEqual(built.familyUnnested);

    // Again: the first two unchanged, the third moved to another person with a key changed, a fourth new.
    const moved = row(ids[2]!, [], randomUUID(), undefined, [1n, 5n]);
    await withSystemScope(dataSource, (m) =>
      batch.writeIndex(m, [row(ids[3]!, ['uprn:2'])], [first[0]!, first[1]!, moved]),
    );
    const again = await stored();
    expect(again.map((r) => r.id)).toEqual(ids);
    expect(again[2]!.person).toBe(moved.personId);
    expect(again[3]!.family).toEqual(['uprn:2']);
    expect(again.slice(0, 2).map((r) => r.xmin)).toEqual(written.slice(0, 2).map((r) => r.xmin));
    expect(again[2]!.xmin).not.toBe(written[2]!.xmin);
    expect(again[2]!.keys).toEqual(['1', '5']);
    // The secondary indexes were built again after the first write, and the triggers switched on again
    // keep the blocking index: the fourth's keys added, the third's lost key gone and gained key there.
    const indexes = await dataSource.query<{ indexname: string }[]>(
      `SELECT indexname FROM pg_indexes WHERE indexname LIKE 'linkage_record_%' OR indexname LIKE 'linkage_key_%'
         OR indexname LIKE 'linkage_family_key_%'
       ORDER BY 1`,
    );
    expect(indexes.map((i) => i.indexname)).toEqual([
      'linkage_family_key_pkey',
      'linkage_key_pkey',
      'linkage_record_person_idx',
    ]);
    const kept = await keyRows();
    expect(kept.stored).toHaveLength(8);
    expect(kept.stored).toEqual(kept.unnested);
    expect(kept.stored).toContainEqual({ key: '5', id: ids[2] });
    expect(kept.family).toHaveLength(family.length + 1);
    expect(kept.family).toEqual(kept.familyUnnested);
  });

  it('refuses a new row for a record already indexed, and keeps what was there', async () => {
    const [existing] = await stored();
    await expect(
      withSystemScope(dataSource, (m) => batch.writeIndex(m, [row(existing!.id, ['uprn:3'])], [])),
    ).rejects.toThrow(/duplicate key/);
    const [after] = await stored();
    expect(after).toEqual(existing);
  });

  it('reports a key rebuild that failed meanwhile where the rows are written, and keeps what was there', async () => {
    const before = await stored();
    const keysBefore = await keyRows();
    // One record with the same hashed key twice (what a 64-bit collision between two of its keys would be).
    const twice = row(randomUUID(), [], randomUUID(), undefined, [7n, 7n]);
    await expect(
      withSystemScope(dataSource, async (m) => {
        const rebuild = await batch.rebuildKeys(m, [twice]);
        const staged = await batch.stageRecords(m, rebuild, [twice]);
        // The caller computes meanwhile; the failure comes with the next write.
        await batch.writeIndex(m, [], [], staged);
      }),
    ).rejects.toThrow(/linkage_key_next_pkey/);
    expect(await stored()).toEqual(before);
    expect(await keyRows()).toEqual(keysBefore);
  });
});

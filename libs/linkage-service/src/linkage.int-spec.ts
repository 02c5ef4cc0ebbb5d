import pg from 'pg';
import { AuditSequencer } from '@joinedup/audit';
import { DataSource } from 'typeorm';
import { GovernanceEngine } from '@joinedup/governance';
import { pairwiseMetrics } from '@joinedup/linkage';
import { createDataSource, GROUP_CANDIDATES_SQL, SourceRecordRepository } from '@joinedup/persistence';
import { NORTHMOOR_AGENCIES } from '@joinedup/place';
import {
  createTestDatabase,
  identityMatchingAgreement,
  loadPlaceRecords,
  type PlacedRecords,
  type TestDatabase,
} from '@joinedup/testing';
import { readPrepared, relinkAll } from './batch-relink.js';
import { LinkageService } from './linkage-service.js';
import { RelinkRuns } from './relink-runs.js';
import { loadTrainedModel } from './trained-model.js';

const at = new Date('2026-11-24T12:00:00Z');

async function partition(dataSource: DataSource) {
  const rows = await dataSource.transaction(async (m) => {
    await m.query(`SELECT set_config('joinedup.scope', 'system', true)`);
    return m.query<{ id: string; person: string; family: string }[]>(
      `SELECT r.source_record_id AS id, r.person_id AS person, p.family_id AS family
       FROM linkage_record r JOIN linked_person p ON p.id = r.person_id ORDER BY r.source_record_id`,
    );
  });
  return rows;
}

/**
 * The blocking index's rows (linkage_key) and the family keys' (linkage_family_key), and the index rows'
 * keys unnested: the triggers keep them equal.
 */
async function blockingIndex(dataSource: DataSource) {
  return dataSource.transaction(async (m) => {
    await m.query(`SELECT set_config('joinedup.scope', 'system', true)`);
    const stored = await m.query<{ key: string; id: string }[]>(
      `SELECT key::text, source_record_id AS id FROM linkage_key ORDER BY 1, 2`,
    );
    const unnested = await m.query<{ key: string; id: string }[]>(
      `SELECT k::text AS key, source_record_id AS id FROM linkage_record, unnest(blocking_keys) k ORDER BY 1, 2`,
    );
    const family = await m.query<{ key: string; id: string }[]>(
      `SELECT key::text, source_record_id AS id FROM linkage_family_key ORDER BY 1, 2`,
    );
    const familyUnnested = await m.query<{ key: string; id: string }[]>(
      `SELECT hashtextextended(k, 0)::text AS key, source_record_id AS id FROM linkage_record, unnest(family_keys) k
       ORDER BY 1, 2`,
    );
    return { stored, unnested, family, familyUnnested };
  });
}

describe('linkage in the service', () => {
  let db: TestDatabase;
  let dataSource: DataSource;
  let service: LinkageService;
  let place: PlacedRecords;
  const model = loadTrainedModel();

  beforeAll(async () => {
    db = await createTestDatabase();
    dataSource = createDataSource(db.appUrl);
    await dataSource.initialize();
    service = new LinkageService(
      dataSource,
      model,
      { engine: GovernanceEngine.create([identityMatchingAgreement(NORTHMOOR_AGENCIES.map((a) => a.id))]) },
      () => at,
    );
    place = await loadPlaceRecords(dataSource, 9, 1200);
    for (const id of place.ids) await service.relinkRecord(id, 'test');
  }, 300_000);
  afterAll(async () => {
    await dataSource.destroy();
    await db.drop();
  });

  it('links incrementally into persons that match the truth', async () => {
    const rows = await partition(dataSource);
    expect(rows).toHaveLength(place.ids.length);
    const personIndex = new Map<string, number>();
    const personOf = Int32Array.from(rows, (r) => {
      if (!personIndex.has(r.person)) personIndex.set(r.person, personIndex.size);
      return personIndex.get(r.person)!;
    });
    const metrics = pairwiseMetrics(
      personOf,
      rows.map((r) => place.truthOf.get(r.id)!),
    );
    expect(metrics.truePairs).toBeGreaterThan(100);
    expect(metrics.f1).toBeGreaterThanOrEqual(0.95);
  });

  it('record changes linked in groups (as the worker commits them) give the same persons and families', async () => {
    const grouped = await createTestDatabase();
    const other = createDataSource(grouped.appUrl);
    await other.initialize();
    try {
      const groupedService = new LinkageService(
        other,
        model,
        { engine: GovernanceEngine.create([identityMatchingAgreement(NORTHMOOR_AGENCIES.map((a) => a.id))]) },
        () => at,
      );
      const placed = await loadPlaceRecords(other, 9, 1200);
      for (let i = 0; i < placed.ids.length; i += 40)
        await groupedService.relinkRecords(
          placed.ids.slice(i, i + 40).map((recordId) => ({ recordId, correlationId: `c-${recordId}` })),
        );
      // The same place loads in the same order, so the i-th record is the same record in both databases.
      const shape = (rows: { id: string; person: string; family: string }[], ids: string[]) => {
        const index = new Map(ids.map((id, i) => [id, i]));
        const groups = (key: 'person' | 'family') => {
          const by = new Map<string, number[]>();
          for (const r of rows) by.set(r[key], [...(by.get(r[key]) ?? []), index.get(r.id)!]);
          return [...by.values()].map((g) => g.sort((x, y) => x - y).join(',')).sort();
        };
        return { persons: groups('person'), families: groups('family') };
      };
      const oneByOne = shape(await partition(dataSource), place.ids);
      const inGroups = shape(await partition(other), placed.ids);
      expect(inGroups.persons.length).toBeGreaterThan(500);
      expect(inGroups).toEqual(oneByOne);
      // Every cross-agency link asked the gate and recorded its answer, as one at a time does.
      // Linking does not wait for its events to be chained (they wait in audit_pending): chain them first.
      const asked = async (ds: DataSource) => {
        await AuditSequencer.of(ds).flush();
        return (await ds.query(`SELECT count(*)::int AS n FROM audit_event WHERE type = 'governance.decision'`))[0].n;
      };
      expect(await asked(other)).toBe(await asked(dataSource));
      // Every family heard of its change, each announcement with the correlation id of a record of its group.
      const announced = await other.query<{ family: string; correlation: string; tx: string }[]>(
        `SELECT f->>'familyId' AS family, f->>'correlationId' AS correlation, o.created_at::text AS tx
         FROM outbox_event o CROSS JOIN LATERAL jsonb_array_elements(o.payload->'families') f
         WHERE o.topic = 'family.changed'`,
      );
      const families = await other.query<{ id: string }[]>(
        `SELECT DISTINCT family_id AS id FROM linked_person WHERE status = 'active'`,
      );
      const heard = new Set(announced.map((a) => a.family));
      expect(families.filter((f) => !heard.has(f.id))).toEqual([]);
      const ids = new Set(placed.ids.map((id) => `c-${id}`));
      expect(announced.filter((a) => !ids.has(a.correlation))).toEqual([]);
      const perGroup = new Map<string, Set<string>>();
      for (const a of announced) perGroup.set(a.tx, (perGroup.get(a.tx) ?? new Set()).add(a.correlation));
      expect(Math.min(...[...perGroup.values()].map((c) => c.size))).toBeGreaterThan(1);
    } finally {
      await other.destroy();
      await grouped.drop();
    }
  }, 300_000);

  it('an incremental merge keeps the older id and leaves the other pointing at it', async () => {
    // Two persons of one record each, joined by a must-link decision (re-clustered incrementally).
    const rows = await partition(dataSource);
    const size = new Map<string, number>();
    for (const r of rows) size.set(r.person, (size.get(r.person) ?? 0) + 1);
    const [x, y] = rows.filter((r) => size.get(r.person) === 1).slice(-2);
    const outcome = await service.recordDecision({ a: x!.id, b: y!.id }, 'must-link', { id: 'ig-1' }, 'same', 'test');
    expect(outcome.merged).toBe(1);
    const persons = await dataSource.transaction(async (m) => {
      await m.query(`SELECT set_config('joinedup.scope', 'system', true)`);
      return m.query<{ id: string; status: string; merged_into: string | null; t: Date }[]>(
        `SELECT id, status, merged_into, created_at AS t FROM linked_person WHERE id = ANY($1::uuid[]) ORDER BY created_at`,
        [[x!.person, y!.person]],
      );
    });
    const [older, newer] = persons;
    expect(older).toMatchObject({ status: 'active', merged_into: null });
    expect(newer).toMatchObject({ status: 'merged', merged_into: older!.id });
    expect(
      (await partition(dataSource))
        .filter((r) => r.person === older!.id)
        .map((r) => r.id)
        .sort(),
    ).toEqual([x!.id, y!.id].sort());
  });

  it('a batch re-link from scratch gives the same persons, families, ids and blocking index', async () => {
    const before = await partition(dataSource);
    const blocksBefore = await blockingIndex(dataSource);
    expect(blocksBefore.stored.length).toBeGreaterThan(place.ids.length);
    expect(blocksBefore.stored).toEqual(blocksBefore.unnested);
    expect(blocksBefore.family.length).toBeGreaterThan(place.ids.length / 2);
    expect(blocksBefore.family).toEqual(blocksBefore.familyUnnested);
    const diff = await relinkAll(dataSource, service);
    expect(diff).toMatchObject({
      records: place.ids.length,
      linksFormed: 0,
      linksBroken: 0,
      personsMerged: 0,
      personsSplit: 0,
      personsCreated: 0,
      familiesChanged: 0,
    });
    expect(await partition(dataSource)).toEqual(before);
    // The batch hashes the keys itself: the same as incremental linking kept.
    expect(await blockingIndex(dataSource)).toEqual(blocksBefore);
  }, 120_000);

  it('a cannot-link decision splits the person at once and survives a batch re-link and a model change', async () => {
    const rows = await partition(dataSource);
    const byPerson = new Map<string, string[]>();
    for (const r of rows) byPerson.set(r.person, [...(byPerson.get(r.person) ?? []), r.id]);
    const [a, b] = [...byPerson.values()].find((members) => members.length === 2)!;
    await service.recordDecision({ a: a!, b: b! }, 'cannot-link', { id: 'ig-1' }, 'different people', 'test');
    const apart = async () => {
      const now = new Map((await partition(dataSource)).map((r) => [r.id, r.person]));
      return now.get(a!) !== now.get(b!);
    };
    expect(await apart()).toBe(true);
    await relinkAll(dataSource, service);
    expect(await apart()).toBe(true);
    const looser = { ...model, version: 'looser', thresholds: { link: 0.5, review: 0.2 } };
    const preview = await relinkAll(dataSource, service, { model: looser, dryRun: true });
    expect(preview.applied).toBe(false);
    await relinkAll(dataSource, service, { model: looser });
    expect(await apart()).toBe(true);
    await relinkAll(dataSource, service);
  }, 180_000);

  it('a candidate lookup reads its blocks by key from the B-tree, at most a cap and one rows a key', async () => {
    // A place-sized key table (made-up keys no record has), analysed as autovacuum would, and one block
    // over its cap: the plan reads by key, and the over-cap block gives no candidates.
    const owner = new pg.Client({ connectionString: db.ownerUrl });
    await owner.connect();
    const big = (await owner.query<{ h: string }>(`SELECT hashtextextended('rare-family:zz-big', 0)::text AS h`))
      .rows[0]!.h;
    const small = (await owner.query<{ h: string }>(`SELECT hashtextextended('rare-family:zz-small', 0)::text AS h`))
      .rows[0]!.h;
    const records = (await owner.query<{ id: string }>(`SELECT source_record_id AS id FROM linkage_record LIMIT 52`))
      .rows;
    try {
      await owner.query(
        `INSERT INTO linkage_key (key, source_record_id) SELECT g, gen_random_uuid() FROM generate_series(1, 300000) g`,
      );
      await owner.query(`INSERT INTO linkage_key (key, source_record_id) SELECT $1, unnest($2::uuid[])`, [
        big,
        records.slice(0, 51).map((r) => r.id),
      ]);
      await owner.query(`INSERT INTO linkage_key (key, source_record_id) VALUES ($1, $2)`, [small, records[51]!.id]);
      await owner.query(`ANALYZE linkage_key`);
      const params = [
        [1, 1, 2],
        ['rare-family:zz-big', 'rare-family:zz-small', 'rare-family:zz-big'],
        [50, 50, 60],
        ['00000000-0000-0000-0000-000000000000', '00000000-0000-0000-0000-000000000001'],
      ];
      const [plan, found] = await dataSource.transaction(async (m) => {
        await m.query(`SELECT set_config('joinedup.scope', 'system', true)`);
        const rows = await m.query<{ 'QUERY PLAN': string }[]>(`EXPLAIN ${GROUP_CANDIDATES_SQL}`, params);
        const hits = await m.query<{ for: number; sourceRecordId: string }[]>(GROUP_CANDIDATES_SQL, params);
        return [rows.map((r) => r['QUERY PLAN']).join('\n'), hits] as const;
      });
      expect(plan).toMatch(/Index (Only )?Scan using linkage_key_pkey on linkage_key/);
      expect(plan).not.toMatch(/Seq Scan on linkage_key/);
      // Record 1: the 51-record block is over its cap of 50, so only the small block's record. Record 2:
      // the same block is within its cap of 60, so all 51.
      expect(found.filter((r) => r.for === 1).map((r) => r.sourceRecordId)).toEqual([records[51]!.id]);
      expect(new Set(found.filter((r) => r.for === 2).map((r) => r.sourceRecordId))).toEqual(
        new Set(records.slice(0, 51).map((r) => r.id)),
      );
    } finally {
      await owner.query(`DELETE FROM linkage_key WHERE key BETWEEN 1 AND 300000 OR key = ANY($1::bigint[])`, [
        [big, small],
      ]);
      await owner.end();
    }
  });

  it('a batch reads the live records in pages: every record once, in id order, as of the run', async () => {
    const read = (asOf: Date | null, pageSize?: number) =>
      dataSource.transaction(async (m) => {
        await m.query(`SELECT set_config('joinedup.scope', 'system', true)`);
        return readPrepared(m, asOf, undefined, pageSize);
      });
    const whole = await read(null);
    const paged = await read(null, 97);
    expect(whole.rows.length).toBeGreaterThan(97 * 3);
    expect(paged.rows).toEqual(whole.rows);
    expect(paged.prepared).toEqual(whole.prepared);
    expect([...whole.rows.map((r) => r.id)].sort()).toEqual(whole.rows.map((r) => r.id));
    expect((await read(new Date('2000-01-01T00:00:00Z'), 97)).rows).toEqual([]);
  });

  it('a withdrawn record leaves its person and family at once', async () => {
    const rows = await partition(dataSource);
    const counts = new Map<string, number>();
    for (const r of rows) counts.set(r.person, (counts.get(r.person) ?? 0) + 1);
    const leaving = rows.find((r) => counts.get(r.person)! >= 2)!;
    const [{ agency_id: agency, external_id: externalId }] = await dataSource.transaction(async (m) => {
      await m.query(`SELECT set_config('joinedup.scope', 'system', true)`);
      return m.query(`SELECT agency_id, external_id FROM source_record WHERE id = $1`, [leaving.id]);
    });
    await new SourceRecordRepository(dataSource).withdraw(agency, externalId, 'test');
    await service.relinkRecord(leaving.id, 'test');
    const after = await partition(dataSource);
    expect(after.find((r) => r.id === leaving.id)).toBeUndefined();
    expect(after.filter((r) => r.person === leaving.person)).toHaveLength(counts.get(leaving.person)! - 1);
    // Nor is it a candidate any more: its blocking keys went with its index row.
    const index = await blockingIndex(dataSource);
    expect(index.stored.some((k) => k.id === leaving.id)).toBe(false);
    expect(index.family.some((k) => k.id === leaving.id)).toBe(false);
    expect(index.stored).toEqual(index.unnested);
    expect(index.family).toEqual(index.familyUnnested);
  });

  it('without an agreement, records of two agencies are not linked, and the refusals are recorded', async () => {
    const denyAll = new LinkageService(dataSource, model, { engine: GovernanceEngine.create([]) }, () => at);
    const before = await dataSource.query(`SELECT count(*)::int AS n FROM audit_event`);
    await relinkAll(dataSource, denyAll);
    const rows = await partition(dataSource);
    const agencies = await dataSource.transaction(async (m) => {
      await m.query(`SELECT set_config('joinedup.scope', 'system', true)`);
      return m.query<{ person: string; agencies: number }[]>(
        `SELECT r.person_id AS person, count(DISTINCT r.agency_id)::int AS agencies FROM linkage_record r GROUP BY 1`,
      );
    });
    expect(rows.length).toBeGreaterThan(0);
    expect(Math.max(...agencies.map((x) => x.agencies))).toBe(1);
    const denied = await dataSource.transaction(async (m) => {
      await m.query(`SELECT set_config('joinedup.scope', 'system', true)`);
      return m.query(`SELECT count(*)::int AS n FROM linkage_link WHERE governance = 'denied'`);
    });
    expect(denied[0].n).toBeGreaterThan(0);
    // The refusals' events were committed with the links; the re-link does not wait for them to be chained.
    await AuditSequencer.of(dataSource).flush();
    const after = await dataSource.query(`SELECT count(*)::int AS n FROM audit_event`);
    expect(after[0].n).toBeGreaterThan(before[0].n);
    // Every refused pair is named, both ways, in a recorded refusal: grouped by direction and answer,
    // so far fewer rows than pairs.
    const { pairs, refusals } = await dataSource.transaction(async (m) => {
      await m.query(`SELECT set_config('joinedup.scope', 'system', true)`);
      return {
        pairs: await m.query<{ x: string; y: string; refX: string; refY: string }[]>(
          `SELECT ra.agency_id AS x, rb.agency_id AS y, ra.features->>0 AS "refX", rb.features->>0 AS "refY"
           FROM linkage_link l JOIN linkage_record ra ON ra.source_record_id = l.a
           JOIN linkage_record rb ON rb.source_record_id = l.b WHERE l.governance = 'denied'`,
        ),
        refusals: await m.query<{ from_agency: string; to_agency: string; subjects: string[] }[]>(
          `SELECT from_agency, to_agency, subjects FROM governance_decision
           WHERE context = 'identity-matching link (batch)' AND decision = 'deny' AND at = $1`,
          [at],
        ),
      };
    });
    const named = new Set(refusals.flatMap((r) => r.subjects.map((s) => `${r.from_agency}>${r.to_agency}:${s}`)));
    for (const p of pairs)
      for (const [from, to] of [
        [p.x, p.y],
        [p.y, p.x],
      ])
        for (const ref of [p.refX, p.refY]) expect(named.has(`${from}>${to}:${ref}`)).toBe(true);
    expect(refusals.length).toBeLessThan(pairs.length);
  }, 120_000);

  it('a must-link across agencies joins the records only where identity matching is allowed', async () => {
    const denyAll = new LinkageService(dataSource, model, { engine: GovernanceEngine.create([]) }, () => at);
    const singles = await dataSource.transaction(async (m) => {
      await m.query(`SELECT set_config('joinedup.scope', 'system', true)`);
      return m.query<{ id: string; agency: string }[]>(
        `SELECT min(source_record_id::text) AS id, min(agency_id) AS agency FROM linkage_record
         GROUP BY person_id HAVING count(*) = 1`,
      );
    });
    const x = singles[0]!;
    const y = singles.find((r) => r.agency !== x.agency)!;
    const denied = await denyAll.recordDecision({ a: x.id, b: y.id }, 'must-link', { id: 'ig-1' }, 'same', 'test');
    expect(denied.merged).toBe(0);
    const personOf = async () => new Map((await partition(dataSource)).map((r) => [r.id, r.person]));
    let persons = await personOf();
    expect(persons.get(x.id)).not.toBe(persons.get(y.id));
    const allowed = await service.recordDecision({ a: x.id, b: y.id }, 'must-link', { id: 'ig-1' }, 'same', 'test');
    expect(allowed.merged).toBe(1);
    persons = await personOf();
    expect(persons.get(x.id)).toBe(persons.get(y.id));
  });

  it('a batch split into partitions scored by different workers gives the answer of one process', async () => {
    const local = await relinkAll(dataSource, service);
    const before = await partition(dataSource);
    const [one, two] = [
      new RelinkRuns(dataSource, service, 'worker-1'),
      new RelinkRuns(dataSource, service, 'worker-2'),
    ];
    const runId = await one.create({ dryRun: false, partitions: 5, requestedBy: 'test' });
    for (let p = 0; p < 5; p += 1) await (p % 2 === 0 ? one : two).scorePartition(runId, p);
    await expect(one.scorePartition(runId, 5)).rejects.toThrow(/not a partition/);
    const diff = await two.merge(runId);
    expect(diff).toMatchObject({
      records: local.records,
      candidatePairs: local.candidatePairs,
      linksFormed: 0,
      linksBroken: 0,
      personsMerged: 0,
      personsSplit: 0,
      personsCreated: 0,
      familiesChanged: 0,
      applied: true,
    });
    expect(await partition(dataSource)).toEqual(before);
    const view = await one.view(runId);
    expect(view.status).toBe('done');
    expect(new Set(view.scored.map((s) => s.worker))).toEqual(new Set(['worker-1', 'worker-2']));
    expect(view.scored.reduce((sum, s) => sum + s.candidatePairs, 0)).toBe(local.candidatePairs);
    const staged = await dataSource.query(`SELECT count(*)::int AS n FROM linkage_run_pair`);
    expect(staged[0].n).toBe(0);
  }, 180_000);

  it('a proposed model is measured by a dry run, and once published incremental linkage scores with it', async () => {
    const runs = new RelinkRuns(dataSource, service, 'worker-1');
    const { version } = await service.versions.propose(dataSource.manager, {
      link: 0.5,
      review: 0.2,
      reason: 'test',
      by: 'ig-1',
    });
    expect(version).toMatchObject({
      status: 'proposed',
      basedOn: model.version,
      thresholds: { link: 0.5, review: 0.2 },
    });
    const before = await partition(dataSource);
    /** A run of two partitions, scored and merged here (the worker processes' part, done by hand). */
    const run = async (dryRun: boolean) => {
      const id = await runs.create({ modelVersion: version.version, dryRun, partitions: 2, requestedBy: 'ig-1' });
      for (const p of [0, 1]) await runs.scorePartition(id, p);
      return { id, diff: await runs.merge(id) };
    };
    const { diff: measured } = await run(true);
    expect(measured).toMatchObject({ applied: false, modelVersion: version.version });
    expect(
      measured.linksFormed + measured.linksBroken + measured.personsMerged + measured.personsSplit,
    ).toBeGreaterThan(0);
    expect(await partition(dataSource)).toEqual(before);
    expect(await service.versions.publishedVersion(dataSource.manager)).toBeNull();

    const { id: publish, diff: applied } = await run(false);
    expect(applied).toMatchObject({
      applied: true,
      linksFormed: measured.linksFormed,
      linksBroken: measured.linksBroken,
    });
    expect(await service.versions.find(dataSource.manager, version.version)).toMatchObject({
      status: 'published',
      publishRunId: publish,
      publishedBy: 'ig-1',
    });
    // The next change is scored with the published version.
    await service.relinkRecord(place.ids[0]!, 'test');
    expect(service.model.version).toBe(version.version);
    const versions = await dataSource.transaction(async (m) => {
      await m.query(`SELECT set_config('joinedup.scope', 'system', true)`);
      return m.query<{ v: string }[]>(`SELECT DISTINCT model_version AS v FROM linkage_link`);
    });
    expect(versions.map((r) => r.v)).toEqual([version.version]);
    const audited = await dataSource.query(
      `SELECT details FROM audit_event WHERE type = 'linkage.relinked' ORDER BY seq`,
    );
    expect(audited.at(-1).details).toMatchObject({ runId: publish, published: true, requestedBy: 'ig-1' });
  }, 180_000);
});

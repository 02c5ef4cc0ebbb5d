import { DataSource } from 'typeorm';
import { contentHash, type CanonicalRecord } from '@joinedup/core';
import {
  createDataSource,
  RecordChangeRepository,
  SourceRecordRepository,
  type RecordWrite,
} from '@joinedup/persistence';
import { createTestDatabase, type TestDatabase } from '@joinedup/testing';

function write(externalId: string, version: number, family = 'Okafor'): RecordWrite {
  const record: CanonicalRecord = { externalId, version, name: { given: 'Ada', family } };
  return { externalId, version, contentHash: contentHash(record), record, invalidFields: [] };
}

describe('SourceRecordRepository', () => {
  let db: TestDatabase;
  let dataSource: DataSource;
  let records: SourceRecordRepository;
  beforeAll(async () => {
    db = await createTestDatabase();
    dataSource = createDataSource(db.appUrl);
    await dataSource.initialize();
    records = new SourceRecordRepository(dataSource);
  });
  afterAll(async () => {
    await dataSource.destroy();
    await db.drop();
  });

  it('creates, leaves identical repeats unchanged, updates newer versions and refuses older ones', async () => {
    const [created] = await records.upsertBatch('agency-a', [write('r1', 1)], 'c1');
    expect(created).toMatchObject({ status: 'created', version: 1 });
    const [same] = await records.upsertBatch('agency-a', [write('r1', 1)], 'c2');
    expect(same).toMatchObject({ status: 'unchanged', recordId: created!.recordId });
    const [newer] = await records.upsertBatch('agency-a', [write('r1', 2, 'Okafor-Smith')], 'c3');
    expect(newer).toMatchObject({ status: 'updated', version: 2, recordId: created!.recordId });
    const [older] = await records.upsertBatch('agency-a', [write('r1', 1, 'Other')], 'c4');
    expect(older).toMatchObject({ status: 'stale', storedVersion: 2 });
    const [sameVersionOtherContent] = await records.upsertBatch('agency-a', [write('r1', 2, 'Other')], 'c5');
    expect(sameVersionOtherContent).toMatchObject({ status: 'stale', storedVersion: 2 });
    expect((await records.get('agency-a', 'r1'))?.record).toMatchObject({ name: { family: 'Okafor-Smith' } });
  });

  it('announces the accepted changes in one outbox event and records one change each, in the same transaction', async () => {
    const written = await records.upsertBatch('agency-a', [write('r2', 1), write('r3', 1)], 'batch-1');
    const outbox = await dataSource.query(
      `SELECT payload FROM outbox_event WHERE payload->>'correlationId' = 'batch-1'`,
    );
    expect(outbox).toHaveLength(1);
    expect(outbox[0].payload).toEqual({
      agencyId: 'agency-a',
      correlationId: 'batch-1',
      records: written.map((w) => ({ recordId: w.recordId, correlationId: 'batch-1' })),
    });
    const changes = await new RecordChangeRepository(dataSource).page('agency-a', undefined, 100);
    expect(changes.filter((c) => c.externalId === 'r2').map((c) => c.kind)).toEqual(['created']);
  });

  it('withdraws: the content is gone at once and the fact stays in the feed', async () => {
    await records.upsertBatch('agency-a', [write('r4', 1)], 'c');
    expect(await records.withdraw('agency-a', 'r4', 'w')).toMatchObject({ version: 1 });
    const stored = await records.get('agency-a', 'r4');
    expect(stored).toMatchObject({ status: 'withdrawn', record: {} });
    expect(await records.withdraw('agency-a', 'r4', 'w')).toBeNull();
    const kinds = (await new RecordChangeRepository(dataSource).page('agency-a', undefined, 100))
      .filter((c) => c.externalId === 'r4')
      .map((c) => c.kind);
    expect(kinds).toEqual(['created', 'withdrawn']);
  });

  it('never shows one agency the rows of another', async () => {
    await records.upsertBatch('agency-b', [write('b-secret', 1)], 'c');
    expect(await records.get('agency-a', 'b-secret')).toBeNull();
    expect((await records.list('agency-a', undefined, 1000)).map((r) => r.externalId)).not.toContain('b-secret');
    expect(await new RecordChangeRepository(dataSource).page('agency-a', undefined, 1000)).not.toContainEqual(
      expect.objectContaining({ externalId: 'b-secret' }),
    );
    expect(await records.withdraw('agency-a', 'b-secret', 'w')).toBeNull();
    expect((await records.get('agency-b', 'b-secret'))?.status).toBe('active');
  });

  it('row-level security: with no context set, the app role sees no rows and cannot write any', async () => {
    expect(await dataSource.query(`SELECT count(*)::int AS n FROM source_record`)).toEqual([{ n: 0 }]);
    await expect(
      dataSource.query(
        `INSERT INTO source_record (agency_id, external_id, version, content_hash, record) VALUES ('agency-a', 'x', 1, 'h', '{}')`,
      ),
    ).rejects.toThrow(/row-level security/);
  });

  it('splits a large batch’s announcement over outbox events of at most 100 changes, in order', async () => {
    const written = await records.upsertBatch(
      'agency-a',
      Array.from({ length: 250 }, (_, i) => write(`big-${i}`, 1)),
      'batch-big',
    );
    const outbox = await dataSource.query(
      `SELECT payload FROM outbox_event WHERE payload->>'correlationId' = 'batch-big' ORDER BY jsonb_array_length(payload->'records') DESC, id`,
    );
    expect(outbox.map((o: { payload: { records: unknown[] } }) => o.payload.records.length)).toEqual([100, 100, 50]);
    const announced = outbox.flatMap((o: { payload: { records: { recordId: string }[] } }) =>
      o.payload.records.map((r) => r.recordId),
    );
    expect([...announced].sort()).toEqual(written.map((w) => w.recordId).sort());
  });
});

import pg from 'pg';
import { DataSource } from 'typeorm';
import { systemClock } from '@joinedup/core';
import { createDataSource } from '@joinedup/persistence';
import { createTestDatabase, type TestDatabase } from '@joinedup/testing';
import { AuditTrail } from '../audit/audit-trail.service.js';
import { type PreparedRecord, RecordIntakeService } from './record-intake.service.js';

const A = 'northmoor-csc';
const B = 'northmoor-health';

describe('RecordIntakeService: concurrent requests written together', () => {
  let db: TestDatabase;
  let dataSource: DataSource;
  let owner: pg.Client;
  let intake: RecordIntakeService;
  beforeAll(async () => {
    db = await createTestDatabase();
    dataSource = createDataSource(db.appUrl);
    await dataSource.initialize();
    owner = new pg.Client({ connectionString: db.ownerUrl });
    await owner.connect();
    intake = new RecordIntakeService(dataSource, new AuditTrail(dataSource, systemClock));
  });
  afterAll(async () => {
    await owner.end();
    await dataSource.destroy();
    await db.drop();
  });

  const prepared = (agency: string, n: number, version: number) =>
    intake.prepare(
      { externalId: `g-${n}`, version, name: { given: 'Ada', family: `Family${n}` }, needs: [] },
      1,
      agency,
      '2026-11-24',
    ) as PreparedRecord;

  it('answers each request as if alone, in order for one record, with its own outbox events and audit event', async () => {
    // Submitted in this order: the first runs alone; the rest arrive while it runs and go together, except
    // the later versions of a record already in that group, which wait for the next one.
    const calls: [string, number, number][] = [
      [A, 1, 1],
      [A, 2, 1],
      [B, 1, 1],
      [A, 1, 2],
      [B, 2, 1],
      [A, 1, 3],
      [B, 1, 1],
    ];
    const answers = await Promise.all(
      calls.map(([agency, n, version], i) =>
        intake.write(agency, [prepared(agency, n, version)], {
          correlationId: `req-${i}`,
          actor: { kind: 'agency-client', id: `${agency}.client`, agency },
        }),
      ),
    );
    expect(answers.map(([r]) => [r!.status, r!.status === 'rejected' ? null : r!.version])).toEqual([
      ['accepted', 1],
      ['accepted', 1],
      ['accepted', 1],
      ['updated', 2],
      ['accepted', 1],
      ['updated', 3],
      ['unchanged', 1],
    ]);

    const { rows: stored } = await owner.query<{ ref: string; version: number; tx: string }>(
      `SELECT agency_id || '/' || external_id AS ref, version, xmin::text AS tx FROM source_record ORDER BY 1`,
    );
    const tx = new Map(stored.map((r) => [r.ref, r.tx]));
    expect(stored.find((r) => r.ref === `${A}/g-1`)?.version).toBe(3);
    // Requests 1, 2 and 4 (two agencies) were written by one transaction.
    expect(new Set([tx.get(`${A}/g-2`), tx.get(`${B}/g-1`), tx.get(`${B}/g-2`)]).size).toBe(1);
    expect(tx.get(`${A}/g-1`)).not.toBe(tx.get(`${A}/g-2`));

    // Each change is announced with the request that made it; an unchanged repeat announces nothing.
    const { rows: outbox } = await owner.query<{ ref: string; correlation: string }>(
      `SELECT r->>'correlationId' AS correlation, s.agency_id || '/' || s.external_id AS ref
       FROM outbox_event o CROSS JOIN LATERAL jsonb_array_elements(o.payload->'records') r
       JOIN source_record s ON s.id = (r->>'recordId')::uuid
       WHERE o.topic = 'record.changed' ORDER BY o.created_at, 1`,
    );
    expect(outbox.map((o) => `${o.correlation} ${o.ref}`).sort()).toEqual(
      [
        `req-0 ${A}/g-1`,
        `req-1 ${A}/g-2`,
        `req-2 ${B}/g-1`,
        `req-3 ${A}/g-1`,
        `req-4 ${B}/g-2`,
        `req-5 ${A}/g-1`,
      ].sort(),
    );

    // One records.received event per request, naming its own record, chained.
    const { rows: audit } = await owner.query<{ request: string; subjects: string[]; counts: string }>(
      `SELECT details->>'requestId' AS request, subjects,
              concat_ws(',', details->>'created', details->>'updated', details->>'unchanged') AS counts
       FROM audit_event WHERE type = 'records.received' ORDER BY details->>'requestId'`,
    );
    expect(audit.map((a) => [a.request, a.subjects, a.counts])).toEqual(
      calls.map(([agency, n], i) => [
        `req-${i}`,
        [`${agency}/g-${n}`],
        i === 6 ? '0,0,1' : [3, 5].includes(i) ? '0,1,0' : '1,0,0',
      ]),
    );
  });
});

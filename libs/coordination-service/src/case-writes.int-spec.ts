import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { DataSource } from 'typeorm';
import type { Offer } from '@joinedup/coordination';
import { createDataSource, withSystemScope } from '@joinedup/persistence';
import { createTestDatabase, type TestDatabase } from '@joinedup/testing';
import { CaseStore } from './case-store.js';
import { type NotificationDraft, writeNotificationGroups } from './case-notifications.js';

/** What a coordination group writes at its end, for all its families at once. */
describe('a coordination group’s writes', () => {
  let db: TestDatabase;
  let dataSource: DataSource;
  let owner: pg.Client;
  beforeAll(async () => {
    db = await createTestDatabase();
    dataSource = createDataSource(db.appUrl);
    await dataSource.initialize();
    owner = new pg.Client({ connectionString: db.ownerUrl });
    await owner.connect();
  });
  afterAll(async () => {
    await owner.end();
    await dataSource.destroy();
    await db.drop();
  });

  const draft = (agency: string, caseId: string): NotificationDraft =>
    ({ agency, caseId, type: 'case.opened', payload: { caseId }, disclosures: [] }) as unknown as NotificationDraft;

  it('writes a group’s notifications with one outbox row naming each with its change’s correlation id', async () => {
    const [caseA, caseB] = [randomUUID(), randomUUID()];
    const written = await withSystemScope(dataSource, (m) =>
      writeNotificationGroups(m, [
        { drafts: [draft('north-csc', caseA), draft('north-health', caseA)], correlationId: 'family-a' },
        { drafts: [], correlationId: 'family-empty' },
        { drafts: [draft('north-csc', caseB)], correlationId: 'family-b' },
      ]),
    );
    expect(written).toBe(3);
    const { rows: outbox } = await owner.query<{
      payload: { correlationId: string; notifications: { notificationId: string; correlationId: string }[] };
    }>(`SELECT payload FROM outbox_event WHERE topic = 'notification.created'`);
    expect(outbox).toHaveLength(1);
    const named = outbox[0]!.payload.notifications;
    expect(outbox[0]!.payload.correlationId).toBe('family-a');
    const { rows } = await owner.query<{ id: string; case_id: string; agency: string }>(
      `SELECT id, case_id, agency_id AS agency FROM notification WHERE id = ANY($1::uuid[])`,
      [named.map((n) => n.notificationId)],
    );
    const correlationOf = new Map(named.map((n) => [n.notificationId, n.correlationId]));
    expect(rows.map((r) => [r.case_id === caseA ? 'a' : 'b', r.agency, correlationOf.get(r.id)]).sort()).toEqual(
      [
        ['a', 'north-csc', 'family-a'],
        ['a', 'north-health', 'family-a'],
        ['b', 'north-csc', 'family-b'],
      ].sort(),
    );
  });

  it('splits a group’s notifications over outbox rows of at most 100', async () => {
    const caseId = randomUUID();
    await withSystemScope(dataSource, (m) =>
      writeNotificationGroups(m, [
        { drafts: Array.from({ length: 250 }, () => draft('north-csc', caseId)), correlationId: 'big-change' },
      ]),
    );
    const { rows } = await owner.query<{ n: number }>(
      `SELECT jsonb_array_length(payload->'notifications') AS n FROM outbox_event
       WHERE topic = 'notification.created' AND payload->>'correlationId' = 'big-change' ORDER BY 1`,
    );
    expect(rows.map((r) => r.n)).toEqual([50, 100, 100]);
  });

  it('writes the deadline timers of new offers, each with its change’s correlation id', async () => {
    const offer = (agency: string, deadline: string) =>
      ({ offerId: randomUUID(), target: { kind: 'worker', agency }, deadline }) as unknown as Offer;
    const timers = [
      { offer: offer('north-csc', '2026-12-03T17:00:00.000Z'), correlationId: 'family-a' },
      { offer: offer('north-health', '2026-12-04T17:00:00.000Z'), correlationId: 'family-b' },
    ];
    await withSystemScope(dataSource, (m) => new CaseStore().deadlines(m, timers));
    const { rows } = await owner.query<{ agency_id: string; payload: Record<string, string> }>(
      `SELECT agency_id, payload FROM outbox_event WHERE topic = 'offer.deadline' ORDER BY agency_id`,
    );
    expect(rows).toEqual(
      timers.map((t) => ({
        agency_id: t.offer.target.agency,
        payload: { offerId: t.offer.offerId, correlationId: t.correlationId, notBefore: t.offer.deadline },
      })),
    );
  });

  it('writes a group’s case history in one statement, in the order the changes made it', async () => {
    const [a, b] = [randomUUID(), randomUUID()];
    const kinds = ['opened', 'offer.made', 'updated', 'offer.declined', 'offer.made', 'closed'];
    await withSystemScope(dataSource, (m) =>
      new CaseStore().events(
        m,
        kinds.map((kind, i) => ({
          caseId: i % 2 === 0 ? a : b,
          kind,
          reasons: [`reason ${i}`, 'and another'],
          details: { step: i },
          actor: 'system',
        })),
      ),
    );
    const { rows } = await owner.query<{ case_id: string; kind: string; reasons: string[]; step: number }>(
      `SELECT case_id, kind, reasons, (details->>'step')::int AS step FROM case_event
       WHERE case_id = ANY($1::uuid[]) ORDER BY at, id`,
      [[a, b]],
    );
    expect(rows.map((r) => r.step)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(rows.map((r) => [r.case_id === a ? 'a' : 'b', r.kind, r.reasons[0]])).toEqual(
      kinds.map((kind, i) => [i % 2 === 0 ? 'a' : 'b', kind, `reason ${i}`]),
    );
  });

  it('writes a group’s new cases and their first offers in two statements, as the store reads them back', async () => {
    const store = new CaseStore();
    const [caseA, caseB, worker, member] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
    const contents = (familyId: string) => ({
      familyId,
      memberIds: [member, randomUUID()],
      agencies: ['north-csc', 'north-health'],
      workerIds: [worker],
      needs: ['child-protection', 'health'],
    });
    const a = contents(randomUUID());
    const b = contents(randomUUID());
    const offer: Offer = {
      offerId: randomUUID(),
      caseId: caseA,
      target: { kind: 'worker', workerId: worker, agency: 'north-csc', team: 'north-csc-duty' },
      explanation: 'the worker already works with the most family members',
      status: 'pending',
      offeredAt: '2026-12-02T09:00:00.000Z',
      deadline: '2026-12-04T09:00:00.000Z',
    };
    const duty: Offer = {
      ...offer,
      offerId: randomUUID(),
      caseId: caseB,
      target: { kind: 'duty-team', agency: 'north-health', team: 'duty' },
    };
    await withSystemScope(dataSource, async (m) => {
      await store.insertCases(m, [
        { caseId: caseA, contents: a, leadChoice: { rule: 'most-members', workerId: worker } },
        { caseId: caseB, contents: b, leadWorkerId: worker },
      ]);
      await store.insertOffers(m, [offer, duty]);
    });
    const [readA, readB] = await withSystemScope(dataSource, (m) =>
      Promise.all([store.byId(m, caseA), store.byId(m, caseB)]),
    );
    expect(readA).toEqual({ ...a, caseId: caseA, status: 'open' });
    expect(readB).toEqual({ ...b, caseId: caseB, status: 'open', leadWorkerId: worker });
    const { rows } = await owner.query<{ lead_choice: unknown }>(
      `SELECT lead_choice FROM coordinated_case WHERE id = $1`,
      [caseA],
    );
    expect(rows[0]!.lead_choice).toEqual({ rule: 'most-members', workerId: worker });
    expect(await withSystemScope(dataSource, (m) => store.offers(m, caseA))).toEqual([offer]);
    expect(await withSystemScope(dataSource, (m) => store.offers(m, caseB))).toEqual([duty]);
  });

  it('takes a group’s family locks in one statement, holding every one until the commit', async () => {
    const families = [randomUUID(), randomUUID(), randomUUID()];
    const store = new CaseStore();
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const group = withSystemScope(dataSource, async (m) => {
      await store.lockFamilies(m, families);
      await held;
    });
    await new Promise((r) => setTimeout(r, 100));
    const { rows } = await owner.query<{ n: string }>(
      `SELECT count(*) AS n FROM pg_locks WHERE locktype = 'advisory' AND granted
         AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
    );
    expect(Number(rows[0]!.n)).toBe(3);
    // Another change to one of the families waits for the group.
    let other = false;
    const single = withSystemScope(dataSource, (m) => store.lockFamily(m, families[1]!)).then(() => (other = true));
    await new Promise((r) => setTimeout(r, 200));
    expect(other).toBe(false);
    release();
    await group;
    await single;
    expect(other).toBe(true);
  });
});

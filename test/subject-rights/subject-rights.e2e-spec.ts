import { randomBytes } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import pg from 'pg';
import { createWorker } from '../../apps/worker/src/bootstrap.js';
import { RecordRetentionService } from '../../apps/worker/src/record-retention.service.js';
import { createTestDatabase, registerAgencyClient, signIn, testConfig, type TestDatabase } from '@joinedup/testing';
import { startApi, type RunningApi } from '../support/start-api.js';

const CSC = 'fenby-csc';
const POLICE = 'fenby-police';
const HEALTH = 'fenby-health';
const VOLUNTARY = 'fenby-voluntary';
const NHS = '9434765919';
const DAY = 86_400_000;
const iso = (offsetDays: number) => new Date(Date.now() + offsetDays * DAY).toISOString();
type Json = Record<string, unknown>;

const agreement = (over: Json): Json => ({
  consentRule: 'not-required',
  validFrom: iso(-1),
  validTo: iso(365),
  reviewDate: iso(180),
  dpiaReference: 'DPIA-2026-041',
  ...over,
});

/** One person known to three agencies (and a fourth, unlinked); subject access, restriction, erasure, retention. */
describe('subject rights end to end', () => {
  let db: TestDatabase;
  let api: RunningApi;
  let worker: INestApplication;
  let owner: pg.Client;
  const ig: Record<string, string> = {};
  const clients: Record<string, string> = {};
  const agreements: Record<string, string> = {};
  let personId = '';
  const prefix = `test:${randomBytes(6).toString('hex')}`;

  const call = async (token: string, method: string, path: string, body?: unknown) => {
    const response = await fetch(`${api.base}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : null) as Json, text };
  };

  async function person(agencyId: string, name: string): Promise<string> {
    const email = `${name}@${agencyId}.test`;
    const password = `password-${name}-123`;
    const made = await call(api.adminToken, 'POST', `/v1/admin/agencies/${agencyId}/people`, {
      staffRef: name,
      email,
      displayName: name,
      roles: ['ig-officer'],
      password,
    });
    expect(made.status).toBe(201);
    return signIn(api.base, email, password);
  }

  async function activate(proposer: string, approvers: string[], content: Json): Promise<string> {
    const draft = await call(ig[proposer]!, 'POST', '/v1/governance/agreements', content);
    expect(draft.status).toBe(201);
    const id = draft.body.id as string;
    await call(ig[proposer]!, 'POST', `/v1/governance/agreements/${id}/submit`);
    for (const a of approvers)
      expect((await call(ig[a]!, 'POST', `/v1/governance/agreements/${id}/approve`)).status).toBe(200);
    expect((await call(ig[proposer]!, 'POST', `/v1/governance/agreements/${id}/activate`)).body).toMatchObject({
      status: 'active',
    });
    return id;
  }

  const sar = (token: string, query: string) => call(token, 'GET', `/v1/subject-access?${query}`);

  beforeAll(async () => {
    db = await createTestDatabase();
    api = await startApi(db, { REDIS_PREFIX: prefix });
    worker = await createWorker(testConfig(db, { REDIS_PREFIX: prefix, RETENTION_DAYS_WITHDRAWN: '30' }));
    await worker.init();
    owner = new pg.Client({ connectionString: db.ownerUrl });
    await owner.connect();
    const sectors: Record<string, string> = {
      [CSC]: 'children-social-care',
      [POLICE]: 'police',
      [HEALTH]: 'health',
      [VOLUNTARY]: 'voluntary',
    };
    for (const [agencyId, sector] of Object.entries(sectors)) {
      clients[agencyId] = await (await registerAgencyClient(api.base, api.adminToken, { agencyId, sector })).getToken();
      ig[agencyId] = await person(agencyId, `ig-${sector}`);
    }
    const base = {
      version: 1,
      name: { given: 'Morwenna', family: 'Quillfeather' },
      birthDate: '2012-07-14',
      sex: 'female',
      identifiers: [{ system: 'nhs-number', value: NHS }],
      addresses: [{ lines: ['4 Sallow Row'], locality: 'Fenby', postcode: 'FB2 7QT' }],
    };
    const records: [string, Json][] = [
      [CSC, { ...base, externalId: 'c-1', involvement: { status: 'open', team: 'early-help' } }],
      [HEALTH, { ...base, externalId: 'h-1', contacts: [{ kind: 'phone', value: '07700900461' }] }],
      [
        POLICE,
        {
          ...base,
          externalId: 'p-1',
          involvement: { status: 'open', team: 'operation-nightjar' },
          categories: ['criminal-offence'],
        },
      ],
      [VOLUNTARY, { ...base, externalId: 'v-1', contacts: [{ kind: 'email', value: 'morwenna@example.org' }] }],
    ];
    for (const [agency, record] of records) {
      const put = await call(clients[agency]!, 'PUT', `/v1/records/${record.externalId as string}`, record);
      expect(put.status).toBe(200);
    }
    const both = (x: string, y: string) => [
      { from: x, to: y, categories: ['identity'] },
      { from: y, to: x, categories: ['identity'] },
    ];
    agreements.matching = await activate(
      CSC,
      [POLICE, HEALTH],
      agreement({
        title: 'Identity matching across early help',
        parties: [CSC, POLICE, HEALTH],
        purposes: ['identity-matching'],
        flows: [...both(CSC, POLICE), ...both(CSC, HEALTH), ...both(POLICE, HEALTH)],
        lawfulBasis: { article6: 'public-task', gateway: 'Children Act 2004 s10' },
      }),
    );
    agreements.enquiry = await activate(
      POLICE,
      [CSC],
      agreement({
        title: 'Police safeguarding referrals',
        parties: [CSC, POLICE],
        purposes: ['safeguarding'],
        flows: [{ from: POLICE, to: CSC, categories: ['identity', 'involvement', 'criminal-offence'] }],
        lawfulBasis: {
          article6: 'public-task',
          schedule1: 'preventing-detecting-unlawful-acts',
          gateway: 'Crime and Disorder Act 1998 s115',
        },
        exemptions: { subjectAccess: ['criminal-offence'], note: 'police enquiry: DPA 2018 Sch 2 para 2' },
      }),
    );
    agreements.voluntary = await activate(
      VOLUNTARY,
      [CSC],
      agreement({
        title: 'Voluntary sector support with consent',
        parties: [CSC, VOLUNTARY],
        purposes: ['case-coordination'],
        flows: [{ from: VOLUNTARY, to: CSC, categories: ['identity', 'contact'] }],
        lawfulBasis: { article6: 'consent', gateway: 'consent of the family' },
        consentRule: 'explicit-consent',
      }),
    );
    // The worker links the three records once the matching agreement is active.
    const deadline = Date.now() + 30_000;
    for (;;) {
      const found = await sar(api.adminToken, `record=${CSC}/c-1`);
      const refs = (found.body.subject as Json | undefined)?.records as string[] | undefined;
      if (refs?.length === 3) {
        personId = (found.body.subject as Json).personId as string;
        break;
      }
      if (Date.now() > deadline) throw new Error(`records not linked: ${found.text}`);
      await new Promise((r) => setTimeout(r, 300));
    }
  }, 120_000);

  afterAll(async () => {
    await owner?.end();
    await worker?.close();
    await api?.close();
    await db?.drop();
  });

  it('exports every record and every disclosure about a person known to three agencies, withholding what the police enquiry exempts', async () => {
    const subject = [`${POLICE}/p-1`, `${CSC}/c-1`, personId];
    const decide = (purpose: string, from: string, to: string, categories: string[]) =>
      call(ig[POLICE]!, 'POST', '/v1/governance/decide', {
        purpose,
        fromAgency: from,
        toAgency: to,
        subject,
        categories,
      });
    const shown = [
      await decide('safeguarding', POLICE, CSC, ['identity']),
      await decide('case-coordination', HEALTH, CSC, ['identity', 'contact']),
      await decide('identity-matching', CSC, HEALTH, ['identity']),
    ];
    expect(shown.map((d) => d.body.decision)).toEqual(['allow', 'deny', 'allow']);
    const exempt = await decide('safeguarding', POLICE, CSC, ['identity', 'criminal-offence']);
    expect(exempt.body).toMatchObject({ decision: 'allow', agreement: { id: agreements.enquiry } });
    // A disclosure: children's services read what the police hold, under the enquiry agreement.
    const read = await call(clients[CSC]!, 'GET', `/v1/records/c-1/shared?purpose=safeguarding`);
    expect(read.status).toBe(200);

    const exported = await sar(ig[CSC]!, `record=${CSC}/c-1`);
    expect(exported.status).toBe(200);
    const body = exported.body;
    const records = body.records as Json[];
    expect(records.map((r) => `${r.agency as string}/${r.externalId as string}`).sort()).toEqual(
      [`${CSC}/c-1`, `${HEALTH}/h-1`, `${POLICE}/p-1`].sort(),
    );
    const police = records.find((r) => r.agency === POLICE)!;
    expect(police.content).toMatchObject({ name: { given: 'Morwenna' }, identifiers: [{ value: NHS }] });
    expect(police.content).not.toHaveProperty('involvement');
    expect(records.find((r) => r.agency === CSC)!.content).toMatchObject({ involvement: { team: 'early-help' } });
    expect(exported.text).not.toContain('operation-nightjar');

    // Every decision about them is listed, except the one the enquiry exempts; identity-matching
    // decisions the worker made when linking are there too.
    const listed = (body.decisions as Json[]).map((d) => d.id);
    for (const d of shown) expect(listed).toContain(d.body.id);
    expect(listed).not.toContain(exempt.body.id);
    // Everything that names them: record refs and ids, and every person id they have had.
    const uuids = await owner.query<{ id: string }>(
      `SELECT id::text FROM source_record WHERE external_id IN ('c-1', 'h-1', 'p-1')`,
    );
    const names = [
      `${CSC}/c-1`,
      `${HEALTH}/h-1`,
      `${POLICE}/p-1`,
      ...uuids.rows.map((r) => r.id),
      ...((body.subject as Json).personIds as string[]),
    ];
    const stored = await owner.query<{ id: string; exempt: boolean }>(
      `SELECT id, (agreement_id = $2 AND 'criminal-offence' = ANY(requested || permitted)) AS exempt
       FROM governance_decision WHERE subjects && $1::text[] AND at <= $3`,
      [names, agreements.enquiry, body.generatedAt],
    );
    expect(
      stored.rows
        .filter((r) => !r.exempt)
        .map((r) => r.id)
        .sort(),
    ).toEqual([...listed].sort());
    // The explicit exempt decision and the police decision behind the disclosure above.
    const exemptCount = stored.rows.filter((r) => r.exempt).length;
    expect(exemptCount).toBe(2);
    expect(
      (body.decisions as Json[]).some(
        (d) => d.context === 'identity-matching link' || d.purpose === 'identity-matching',
      ),
    ).toBe(true);

    const events = body.events as Json[];
    expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(['records.received', 'governance.decision']));
    const withheld = body.withheld as Json[];
    const byKind = (kind: string) => withheld.find((w) => w.kind === kind);
    expect(byKind('decision')).toMatchObject({ agreement: { id: agreements.enquiry }, count: exemptCount });
    expect(byKind('record-content')).toMatchObject({ agreement: { id: agreements.enquiry } });
    // The exempt decisions' audit events and the disclosure of criminal-offence data are withheld too.
    expect(byKind('audit-event')!.count).toBe(exemptCount + 1);
    const auditedAbout = await owner.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_event WHERE subjects && $1::text[] AND type <> 'subject-rights.access-exported'
         AND seq < (SELECT seq FROM audit_event WHERE id = $2)`,
      [names, body.exportId],
    );
    expect(
      events.filter((e) => e.type !== 'subject-rights.access-exported').length +
        (byKind('audit-event')!.count as number),
    ).toBe(auditedAbout.rows[0]!.n);
    // Other people named in the same intake event are not this person's data.
    for (const e of events) for (const s of e.subjects as string[]) expect(s).not.toMatch(/\/(?!c-1|h-1|p-1)/);

    const [audited] = (
      await owner.query<{ details: Json; subjects: string[]; agency_id: string }>(
        `SELECT details, subjects, agency_id FROM audit_event WHERE type = 'subject-rights.access-exported' ORDER BY seq DESC LIMIT 1`,
      )
    ).rows;
    expect(audited!.agency_id).toBe(CSC);
    expect(audited!.subjects).toEqual(expect.arrayContaining([`${POLICE}/p-1`, personId]));
    expect(audited!.details.withheld).toEqual(
      expect.arrayContaining([expect.objectContaining({ kind: 'decision', count: exemptCount })]),
    );
    expect(JSON.stringify(audited)).not.toMatch(/Morwenna|Quillfeather|nightjar/);

    // By person id, for the platform admin: the same records.
    const byPerson = await sar(api.adminToken, `person=${personId}`);
    expect((byPerson.body.subject as Json).records).toHaveLength(3);
  }, 60_000);

  it('answers only for records of the caller’s agency, and only to IG officers', async () => {
    expect((await sar(ig[HEALTH]!, `record=${CSC}/c-1`)).status).toBe(403);
    expect((await sar(ig[VOLUNTARY]!, `person=${personId}`)).status).toBe(404);
    expect((await sar(clients[CSC]!, `record=${CSC}/c-1`)).status).toBe(403);
    expect((await sar(ig[CSC]!, `record=${CSC}/nope`)).status).toBe(404);
    expect((await sar(ig[CSC]!, `record=${CSC}/c-1&person=${personId}`)).status).toBe(400);
  });

  it('refuses erasure under a public task, restricts, and erases where the basis is consent', async () => {
    const refused = await call(ig[CSC]!, 'POST', '/v1/subject-rights/erase', {
      record: `${CSC}/c-1`,
      reason: 'subject request SR-2026-11',
    });
    expect(refused.status).toBe(200);
    expect(refused.body.outcomes).toEqual([
      {
        record: `${CSC}/c-1`,
        outcome: 'refused',
        reasons: expect.arrayContaining([
          expect.stringMatching(new RegExp(`${agreements.matching}.*public-task.*17\\(3\\)\\(b\\)`)),
        ]),
      },
    ]);
    const [stillThere] = (await owner.query(`SELECT status, record FROM source_record WHERE external_id = 'c-1'`)).rows;
    expect(stillThere).toMatchObject({ status: 'active', record: { name: { given: 'Morwenna' } } });

    // Restriction: the police record leaves the person at once and is shared with no one.
    const restricted = await call(ig[POLICE]!, 'POST', '/v1/subject-rights/restrict', {
      person: personId,
      reason: 'accuracy contested, SR-2026-12',
    });
    expect(restricted.status).toBe(200);
    expect(restricted.body.outcomes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ record: `${POLICE}/p-1`, outcome: 'restricted' }),
        expect.objectContaining({ record: `${CSC}/c-1`, outcome: 'skipped' }),
      ]),
    );
    const after = await sar(api.adminToken, `person=${personId}`);
    expect((after.body.subject as Json).records).toEqual(expect.not.arrayContaining([`${POLICE}/p-1`]));
    const shared = await call(clients[CSC]!, 'GET', `/v1/records/c-1/shared?purpose=safeguarding`);
    expect(JSON.stringify(shared.body)).not.toContain('p-1');
    const police = await sar(ig[POLICE]!, `record=${POLICE}/p-1`);
    expect((police.body.records as Json[])[0]).toMatchObject({ status: 'restricted' });
    // A new version from the police does not lift the restriction.
    const put = await call(clients[POLICE]!, 'PUT', '/v1/records/p-1', {
      externalId: 'p-1',
      version: 2,
      name: { given: 'Morwenna', family: 'Quillfeather' },
      birthDate: '2012-07-14',
    });
    expect(put.status).toBe(200);
    expect((await owner.query(`SELECT status FROM source_record WHERE external_id = 'p-1'`)).rows[0]).toEqual({
      status: 'restricted',
    });

    // Erasure under consent: content emptied, tombstone kept, audited without content.
    const erased = await call(ig[VOLUNTARY]!, 'POST', '/v1/subject-rights/erase', {
      record: `${VOLUNTARY}/v-1`,
      reason: 'consent withdrawn, SR-2026-13',
    });
    expect(erased.body.outcomes).toEqual([
      { record: `${VOLUNTARY}/v-1`, outcome: 'erased', reasons: [expect.stringContaining('rests on consent')] },
    ]);
    const [tombstone] = (
      await owner.query(`SELECT status, record, version, withdrawn_at FROM source_record WHERE external_id = 'v-1'`)
    ).rows;
    expect(tombstone).toMatchObject({ status: 'erased', record: {}, version: 1 });
    expect(tombstone.withdrawn_at).not.toBeNull();
    const events = (
      await owner.query<{ type: string; decision: string; details: Json }>(
        `SELECT type, decision, details FROM audit_event WHERE type LIKE 'subject-rights.%' AND type <> 'subject-rights.access-exported' ORDER BY seq`,
      )
    ).rows;
    expect(events.map((e) => [e.type, e.decision])).toEqual([
      ['subject-rights.erasure', 'deny'],
      ['subject-rights.restriction', 'allow'],
      ['subject-rights.erasure', 'allow'],
    ]);
    expect(JSON.stringify(events)).not.toMatch(/Morwenna|Quillfeather|07700900461|example\.org/);
    const feed = await owner.query(`SELECT kind FROM record_change WHERE external_id = 'v-1' ORDER BY seq`);
    expect(feed.rows.map((r) => r.kind)).toEqual(expect.arrayContaining(['created', 'erased']));

    // Retention: nothing is due today; 31 days on, the tombstone goes and only counts are audited.
    const retention = worker.get(RecordRetentionService);
    expect(await retention.run(new Date())).toBe('skipped: none due');
    expect(await retention.run(new Date(Date.now() + 31 * DAY))).toBe(`removed 1 (${VOLUNTARY} 1)`);
    expect((await owner.query(`SELECT 1 FROM source_record WHERE external_id = 'v-1'`)).rowCount).toBe(0);
    const [removed] = (
      await owner.query<{ subjects: string[]; details: Json }>(
        `SELECT subjects, details FROM audit_event WHERE type = 'records.retention-removed'`,
      )
    ).rows;
    expect(removed).toMatchObject({
      subjects: [],
      details: { removed: 1, byAgency: { [VOLUNTARY]: 1 }, retentionDays: 30 },
    });
  }, 60_000);

  it('generates the record of processing activities from the agreements in force', async () => {
    const ropa = await call(ig[CSC]!, 'GET', '/v1/governance/ropa');
    expect(ropa.status).toBe(200);
    const activities = ropa.body.activities as Json[];
    expect(activities.map((a) => (a.agreement as Json).id).sort()).toEqual(
      [agreements.matching, agreements.enquiry, agreements.voluntary].sort(),
    );
    expect(activities.find((a) => (a.agreement as Json).id === agreements.enquiry)).toMatchObject({
      controllers: [CSC, POLICE],
      purposes: ['safeguarding'],
      categories: ['criminal-offence', 'identity', 'involvement'],
      specialCategories: ['criminal-offence'],
      recipients: [{ agency: CSC, from: POLICE }],
      lawfulBasis: { article6: 'public-task', gateway: 'Crime and Disorder Act 1998 s115' },
      retention: expect.stringContaining('after 30 days'),
    });
    const health = await call(ig[HEALTH]!, 'GET', '/v1/governance/ropa');
    expect((health.body.activities as Json[]).map((a) => (a.agreement as Json).id)).toEqual([agreements.matching]);
    expect((await call(clients[CSC]!, 'GET', '/v1/governance/ropa')).status).toBe(403);
    expect(
      (await owner.query(`SELECT count(*)::int AS n FROM audit_event WHERE type = 'governance.ropa-read'`)).rows[0],
    ).toEqual({ n: 2 });
  });
});

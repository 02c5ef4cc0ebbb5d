import { randomBytes } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import pg from 'pg';
import { createWorker } from '../../apps/worker/src/bootstrap.js';
import { createTestDatabase, registerAgencyClient, testConfig, type TestDatabase } from '@joinedup/testing';
import { jsonClient, staffMember } from '../support/http.js';
import { startApi, type RunningApi } from '../support/start-api.js';
import { WebhookReceiver } from '../support/webhook-receiver.js';

const CSC = 'northmoor-csc';
const POLICE = 'northmoor-police';
const DAY = 86_400_000;
const iso = (offsetDays: number) => new Date(Date.now() + offsetDays * DAY).toISOString();

/**
 * A case that rests on consent: when the consent is withdrawn the case closes, what was queued for the
 * police before the withdrawal is suppressed rather than sent, and the caseworker's case page no longer
 * shows the police's facts.
 */
describe('coordination under consent: withdrawal closes the case and suppresses what was queued', () => {
  let db: TestDatabase;
  let api: RunningApi;
  let worker: INestApplication;
  let owner: pg.Client;
  const receiver = new WebhookReceiver();
  const prefix = `test:${randomBytes(6).toString('hex')}`;
  const people: Record<string, string> = {};
  let consentId = '';
  const call = (token: string, method: string, path: string, body?: unknown) =>
    jsonClient(api.base)(token, method, path, body);
  const rows = async <T extends pg.QueryResultRow>(sql: string, params: unknown[] = []) =>
    (await owner.query<T>(sql, params)).rows;
  async function until(what: string, ok: () => Promise<boolean>, ms = 20_000): Promise<void> {
    const deadline = Date.now() + ms;
    while (!(await ok())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  beforeAll(async () => {
    db = await createTestDatabase();
    owner = new pg.Client({ connectionString: db.ownerUrl });
    await owner.connect();
    api = await startApi(db, { REDIS_PREFIX: prefix });
    worker = await createWorker(testConfig(db, { REDIS_PREFIX: prefix }));
    await worker.init();
    const csc = await (
      await registerAgencyClient(api.base, api.adminToken, { agencyId: CSC, sector: 'children-social-care' })
    ).getToken();
    const police = await (
      await registerAgencyClient(api.base, api.adminToken, { agencyId: POLICE, sector: 'police' })
    ).getToken();
    for (const [agency, name, roles] of [
      [CSC, 'ig-csc', ['ig-officer']],
      [POLICE, 'ig-police', ['ig-officer']],
      [CSC, 'csc-ann', ['caseworker']],
      [POLICE, 'pc-pat', ['caseworker']],
    ] as const)
      people[name] = await staffMember(api.base, api.adminToken, agency, name, [...roles]);
    // The police system is failing: what is sent to it waits in the retry schedule.
    await receiver.start();
    receiver.answer = () => ({ status: 503 });
    const hook = await call(api.adminToken, 'POST', `/v1/admin/agencies/${POLICE}/webhooks`, {
      url: receiver.url,
      eventTypes: ['case.opened', 'case.updated', 'case.closed', 'offer.made', 'lead.assigned'],
    });
    receiver.secret = hook.body.secret as string;
    const child = (externalId: string, given: string, worker: string) => ({
      externalId,
      version: 1,
      name: { given, family: 'Okafor' },
      birthDate: '2014-03-09',
      identifiers: [{ system: 'nhs-number', value: '9434765919' }],
      involvement: { status: 'open', worker },
      needs: ['child-protection'],
    });
    expect((await call(csc, 'PUT', '/v1/records/c-1', child('c-1', 'Amelia', 'csc-ann'))).status).toBe(200);
    expect((await call(police, 'PUT', '/v1/records/p-1', child('p-1', 'Amelie', 'pc-pat'))).status).toBe(200);

    const draft = await call(people['ig-csc']!, 'POST', '/v1/governance/agreements', {
      title: 'Early help: children known to the police',
      parties: [CSC, POLICE],
      purposes: ['identity-matching', 'case-coordination'],
      flows: [
        { from: CSC, to: POLICE, categories: ['identity', 'involvement'] },
        { from: POLICE, to: CSC, categories: ['identity', 'involvement', 'needs'] },
      ],
      lawfulBasis: { article6: 'public-task', gateway: 'Children Act 2004 s10' },
      consentRule: 'explicit-consent',
      validFrom: iso(-1),
      validTo: iso(365),
      reviewDate: iso(180),
      dpiaReference: 'DPIA-2026-044',
    });
    const id = draft.body.id as string;
    await call(people['ig-csc']!, 'POST', `/v1/governance/agreements/${id}/submit`);
    await call(people['ig-police']!, 'POST', `/v1/governance/agreements/${id}/approve`);
    await call(people['ig-csc']!, 'POST', `/v1/governance/agreements/${id}/activate`);
    for (const purpose of ['identity-matching', 'case-coordination']) {
      const consent = await call(people['ig-csc']!, 'POST', '/v1/governance/consents', {
        subjectIds: [`${CSC}/c-1`, `${POLICE}/p-1`],
        purpose,
        state: 'given',
        evidenceRef: 'signed-form-2026-11',
      });
      expect(consent.status).toBe(201);
      if (purpose === 'case-coordination') consentId = consent.body.id as string;
    }
  }, 120_000);

  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await owner?.end();
    await receiver.stop();
    await db?.drop();
  });

  it('with consent, a case opens and the caseworker sees the police facts, shared under the agreement', async () => {
    await until(
      'an open case',
      async () => (await rows(`SELECT 1 FROM coordinated_case WHERE status = 'open'`)).length === 1,
    );
    const [kase] = await rows<{ id: string }>(`SELECT id FROM coordinated_case`);
    const view = await call(people['csc-ann']!, 'GET', `/v1/cases/${kase!.id}`);
    expect(view.status).toBe(200);
    const facts = (view.body.members as { facts: { agency: string; label: string; sharedUnder: string }[] }[]).flatMap(
      (m) => m.facts,
    );
    expect(facts.filter((f) => f.agency === POLICE).map((f) => f.label)).toEqual(
      expect.arrayContaining(['Involvement', 'Needs']),
    );
    // The police's notifications are queued, failing and waiting to be retried.
    await until('police deliveries attempted', async () => receiver.requests > 0);
    expect(receiver.effects.size).toBe(0);
  });

  it('withdrawing consent closes the case, suppresses what was queued, and the case page loses the shared facts', async () => {
    const [kase] = await rows<{ id: string }>(`SELECT id FROM coordinated_case`);
    const pendingBefore = await rows<{ id: string }>(
      `SELECT id FROM notification WHERE agency_id = $1 AND type <> 'case.closed'`,
      [POLICE],
    );
    expect(pendingBefore.length).toBeGreaterThan(0);
    const withdrawn = await call(people['ig-csc']!, 'POST', `/v1/governance/consents/${consentId}/withdraw`, {
      evidenceRef: 'phone-call-2026-11',
    });
    expect(withdrawn.status).toBe(200);
    await until(
      'the case closed',
      async () => (await rows(`SELECT 1 FROM coordinated_case WHERE status = 'closed'`)).length === 1,
    );
    const [event] = await rows<{ reasons: string[] }>(`SELECT reasons FROM case_event WHERE kind = 'closed'`);
    expect(event!.reasons.join(' ')).toMatch(/case coordination not allowed/);

    // The police system recovers: it gets the closing notice, and nothing that was queued before.
    receiver.answer = () => ({ status: 204 });
    await until('the closing notice delivered', async () =>
      [...receiver.effects.values()].some((e) => e.type === 'case.closed'),
    );
    await until('queued notifications suppressed', async () => {
      const states = await rows<{ status: string }>(`SELECT status FROM notification WHERE id = ANY($1::uuid[])`, [
        pendingBefore.map((n) => n.id),
      ]);
      return states.every((s) => s.status === 'suppressed');
    });
    expect([...receiver.effects.values()].map((e) => e.type)).toEqual(['case.closed']);
    const closing = [...receiver.effects.values()][0]!;
    expect(Object.keys(closing.data).sort()).toEqual(['at', 'caseId', 'event', 'recipient']);
    const audit = await rows(`SELECT 1 FROM audit_event WHERE type = 'notification.suppressed'`);
    expect(audit.length).toBeGreaterThan(0);

    const view = await call(people['csc-ann']!, 'GET', `/v1/cases/${kase!.id}`);
    expect(view.status).toBe(200);
    expect(view.body.status).toBe('closed');
    const facts = (view.body.members as { facts: { agency: string }[] }[]).flatMap((m) => m.facts);
    expect(facts.filter((f) => f.agency === POLICE)).toEqual([]);
  });
});

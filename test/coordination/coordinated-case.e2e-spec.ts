import { randomBytes } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import pg from 'pg';
import { createWorker } from '../../apps/worker/src/bootstrap.js';
import { createTestDatabase, registerAgencyClient, testConfig, type TestDatabase } from '@joinedup/testing';
import { jsonClient, staffMember, type Json } from '../support/http.js';
import { startApi, type RunningApi } from '../support/start-api.js';
import { WebhookReceiver } from '../support/webhook-receiver.js';

const CSC = 'northmoor-csc';
const HEALTH = 'northmoor-health';
const SCHOOL = 'northmoor-schools';
const DAY = 86_400_000;
const iso = (offsetDays: number) => new Date(Date.now() + offsetDays * DAY).toISOString();

interface NotificationRow {
  id: string;
  agency_id: string;
  person_id: string | null;
  type: string;
  payload: Json;
  disclosures: { fromAgency: string }[];
}

/**
 * Three agencies send records about one family (a mother and her son). Once an agreement allows
 * identity matching and case coordination, one case opens, the policy's lead gets an offer, declines
 * with a reason, the offer moves on, the next worker accepts, and every worker involved is told.
 */
describe('coordination end to end: one family, three agencies, one lead', () => {
  let db: TestDatabase;
  let api: RunningApi;
  let worker: INestApplication;
  let owner: pg.Client;
  const receiver = new WebhookReceiver();
  const tokens: Record<string, string> = {};
  const people: Record<string, string> = {};
  const ids: Record<string, string> = {};
  const prefix = `test:${randomBytes(6).toString('hex')}`;
  const call = (token: string, method: string, path: string, body?: unknown) =>
    jsonClient(api.base)(token, method, path, body);

  async function until<T>(what: string, probe: () => Promise<T | undefined>, ms = 20_000): Promise<T> {
    const deadline = Date.now() + ms;
    for (;;) {
      const value = await probe();
      if (value !== undefined) return value;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  const notifications = async () =>
    (await owner.query<NotificationRow>(`SELECT * FROM notification ORDER BY created_at, id`)).rows;
  const workerId = async (staffRef: string) =>
    (await owner.query<{ id: string }>(`SELECT id FROM person WHERE staff_ref = $1`, [staffRef])).rows[0]!.id;

  beforeAll(async () => {
    db = await createTestDatabase();
    owner = new pg.Client({ connectionString: db.ownerUrl });
    await owner.connect();
    api = await startApi(db, { REDIS_PREFIX: prefix });
    worker = await createWorker(testConfig(db, { REDIS_PREFIX: prefix }));
    await worker.init();
    for (const [agencyId, sector] of [
      [CSC, 'children-social-care'],
      [HEALTH, 'health'],
      [SCHOOL, 'education'],
    ] as const)
      tokens[agencyId] = await (await registerAgencyClient(api.base, api.adminToken, { agencyId, sector })).getToken();
    for (const [agency, name, roles] of [
      [CSC, 'ig-csc', ['ig-officer']],
      [HEALTH, 'ig-health', ['ig-officer']],
      [SCHOOL, 'ig-school', ['ig-officer']],
      [CSC, 'csc-ann', ['caseworker']],
      [CSC, 'csc-bob', ['caseworker']],
      [HEALTH, 'h-hana', ['caseworker']],
      [SCHOOL, 's-sam', ['caseworker']],
    ] as const)
      people[name] = await staffMember(api.base, api.adminToken, agency, name, [...roles]);
    for (const name of ['csc-ann', 'csc-bob', 'h-hana', 's-sam']) ids[name] = await workerId(name);
    // Children's services' case management system receives every notification by webhook.
    await receiver.start();
    const hook = await call(api.adminToken, 'POST', `/v1/admin/agencies/${CSC}/webhooks`, {
      url: receiver.url,
      eventTypes: ['case.opened', 'case.updated', 'case.closed', 'offer.made', 'lead.assigned'],
    });
    expect(hook.status).toBe(201);
    receiver.secret = hook.body.secret as string;

    const address = (line: string) => [{ lines: [line], locality: 'Northmoor', postcode: 'NM1 4AP' }];
    const mum = { name: { given: 'Amelia', family: 'Okafor' }, birthDate: '1988-05-02', sex: 'female' };
    const son = {
      name: { given: 'Jayden', family: 'Okafor' },
      birthDate: '2015-03-19',
      sex: 'male',
      identifiers: [{ system: 'nhs-number', value: '9434765919' }],
    };
    const open = (worker: string) => ({ status: 'open', worker, since: '2026-09-01' });
    const records: [string, Json][] = [
      [
        CSC,
        {
          externalId: 'c-mum',
          ...mum,
          addresses: address('12 Mill Lane'),
          household: { reference: 'HH-1', role: 'parent' },
          involvement: open('csc-ann'),
          needs: ['domestic-abuse'],
        },
      ],
      [
        CSC,
        {
          externalId: 'c-son',
          ...son,
          addresses: address('12 Mill Lane'),
          household: { reference: 'HH-1', role: 'child' },
          involvement: open('csc-bob'),
          needs: ['child-protection'],
        },
      ],
      [
        HEALTH,
        {
          externalId: 'h-1001',
          ...mum,
          name: { given: 'Amy', family: 'Okafor' },
          addresses: address('12 Mill Ln'),
          involvement: open('h-hana'),
          needs: ['mental-health'],
        },
      ],
      [
        SCHOOL,
        {
          externalId: 's-77',
          ...son,
          name: { given: 'Jaden', family: 'Okafor' },
          addresses: address('12 Mill Lane'),
          involvement: open('s-sam'),
          needs: ['school-attendance'],
        },
      ],
    ];
    for (const [agency, record] of records) {
      const put = await call(tokens[agency]!, 'PUT', `/v1/records/${record.externalId as string}`, {
        version: 1,
        ...record,
      });
      expect(put.status).toBe(200);
    }
  }, 120_000);

  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await owner?.end();
    await receiver.stop();
    await db?.drop();
  });

  it('without an agreement no case opens and no one is told anything', async () => {
    await new Promise((r) => setTimeout(r, 2000));
    expect((await owner.query(`SELECT 1 FROM coordinated_case`)).rowCount).toBe(0);
    expect(await notifications()).toEqual([]);
  });

  it('with an agreement one case opens and the lead chosen by the policy is offered it, with why', async () => {
    const parties = [CSC, HEALTH, SCHOOL];
    const draft = await call(people['ig-csc']!, 'POST', '/v1/governance/agreements', {
      title: 'Early help across Northmoor',
      parties,
      purposes: ['identity-matching', 'case-coordination'],
      flows: parties.flatMap((from) =>
        parties
          .filter((to) => to !== from)
          .map((to) => ({ from, to, categories: ['identity', 'involvement', 'needs'] })),
      ),
      lawfulBasis: { article6: 'public-task', gateway: 'Children Act 2004 s10' },
      consentRule: 'not-required',
      validFrom: iso(-1),
      validTo: iso(365),
      reviewDate: iso(180),
      dpiaReference: 'DPIA-2026-031',
    });
    expect(draft.status).toBe(201);
    const id = draft.body.id as string;
    expect((await call(people['ig-csc']!, 'POST', `/v1/governance/agreements/${id}/submit`)).status).toBe(200);
    for (const ig of ['ig-health', 'ig-school'])
      expect((await call(people[ig]!, 'POST', `/v1/governance/agreements/${id}/approve`)).status).toBe(200);
    expect((await call(people['ig-csc']!, 'POST', `/v1/governance/agreements/${id}/activate`)).body).toMatchObject({
      status: 'active',
    });

    const offer = await until('an offer', async () => (await notifications()).find((n) => n.type === 'offer.made'));
    const cases = (await owner.query<{ id: string; agencies: string[] }>(`SELECT id, agencies FROM coordinated_case`))
      .rows;
    expect(cases).toHaveLength(1);
    expect(cases[0]!.agencies).toEqual([HEALTH, CSC, SCHOOL].sort());
    // Child protection is the main need: children's social care leads; Ann and Bob each work with one
    // member, so the lower caseload ratio and then the id decide; whoever it is, the offer says why.
    expect(offer.agency_id).toBe(CSC);
    expect([ids['csc-ann'], ids['csc-bob']]).toContain(offer.person_id);
    const detail = offer.payload.offer as Json;
    expect(detail.explanation).toMatch(/children's social care|child-protection/);
    // Every involved worker heard the case open, and what each was told names only agencies it may see.
    const opened = (await notifications()).filter((n) => n.type === 'case.opened');
    expect(new Set(opened.map((n) => n.person_id))).toEqual(new Set(Object.values(ids)));
    expect(JSON.stringify(await notifications())).not.toMatch(/Okafor|Amelia|Jayden|9434765919|Mill/);
    for (const n of opened) expect(n.payload.agencies).toEqual([HEALTH, CSC, SCHOOL].sort());
  });

  it('the first worker declines with a reason, the offer moves on, the next accepts and everyone is told', async () => {
    const first = (await notifications()).find((n) => n.type === 'offer.made')!;
    const firstName = first.person_id === ids['csc-ann'] ? 'csc-ann' : 'csc-bob';
    const nextName = firstName === 'csc-ann' ? 'csc-bob' : 'csc-ann';
    const offerId = (first.payload.offer as Json).offerId as string;

    // Someone else cannot answer it.
    expect((await call(people['h-hana']!, 'POST', `/v1/offers/${offerId}/accept`, {})).status).toBe(404);
    const missing = await call(people[firstName]!, 'POST', `/v1/offers/${offerId}/decline`, {});
    expect(missing.status).toBe(400);
    const declined = await call(people[firstName]!, 'POST', `/v1/offers/${offerId}/decline`, {
      reason: 'on leave from Monday',
    });
    expect(declined.status).toBe(200);
    expect(declined.body).toMatchObject({ status: 'declined', reason: 'on leave from Monday' });
    // A second answer to the same offer is a conflict, not a second decision.
    expect((await call(people[firstName]!, 'POST', `/v1/offers/${offerId}/accept`, {})).status).toBe(409);

    const second = (await notifications()).filter((n) => n.type === 'offer.made');
    expect(second).toHaveLength(2);
    expect(second[1]!.person_id).toBe(ids[nextName]);
    expect((second[1]!.payload.offer as Json).explanation).toMatch(/declined \(on leave from Monday\)/);

    const secondOffer = (second[1]!.payload.offer as Json).offerId as string;
    const accepted = await call(people[nextName]!, 'POST', `/v1/offers/${secondOffer}/accept`, {});
    expect(accepted.status).toBe(200);
    expect(accepted.body).toMatchObject({ status: 'accepted', leadWorkerId: ids[nextName] });

    const told = (await notifications()).filter((n) => n.type === 'lead.assigned');
    expect(new Set(told.map((n) => n.person_id))).toEqual(new Set(Object.values(ids)));
    for (const n of told) expect(n.payload.lead).toMatchObject({ workerId: ids[nextName], agency: CSC });
    // Every notification is named by an outbox row (one per change): nothing told is lost on the way to delivery.
    const outbox = await owner.query<{ id: string }>(
      `SELECT jsonb_array_elements(payload->'notifications')->>'notificationId' AS id FROM outbox_event
       WHERE topic = 'notification.created'`,
    );
    const all = await notifications();
    expect(outbox.rows.map((r) => r.id).sort()).toEqual(all.map((n) => n.id).sort());
    expect(outbox.rowCount).toBeGreaterThan(0);
  });

  it('the agency system receives each of its notifications once, signed so a Standard Webhooks verifier accepts it', async () => {
    const forCsc = (await notifications()).filter((n) => n.agency_id === CSC);
    await receiver.until(forCsc.length);
    expect(receiver.effects.size).toBe(forCsc.length);
    expect(receiver.badSignatures).toBe(0);
    expect(receiver.duplicates).toBe(0);
    const types = [...receiver.effects.values()].map((r) => r.type).sort();
    expect(types).toEqual(forCsc.map((n) => n.type).sort());
    const offer = [...receiver.effects.values()].find((r) => r.type === 'offer.made')!;
    expect(offer.data).toMatchObject({ recipient: { agency: CSC }, offer: { explanation: expect.any(String) } });
  });

  it('the lead sees the case: why they lead, its history, and the family facts shared with why', async () => {
    const lead = (
      await owner.query<{ lead_worker_id: string; id: string }>(`SELECT id, lead_worker_id FROM coordinated_case`)
    ).rows[0]!;
    const name = Object.entries(ids).find(([, id]) => id === lead.lead_worker_id)![0];
    const view = await call(people[name]!, 'GET', `/v1/cases/${lead.id}`);
    expect(view.status).toBe(200);
    expect(view.body.lead).toMatchObject({ workerId: lead.lead_worker_id, agency: CSC });
    const events = (view.body.events as { kind: string }[]).map((e) => e.kind);
    expect(events).toEqual(['opened', 'offer.made', 'offer.declined', 'offer.made', 'offer.accepted']);
    const facts = (view.body.members as { facts: { agency: string; label: string; sharedUnder: string }[] }[]).flatMap(
      (m) => m.facts,
    );
    const fromHealth = facts.filter((f) => f.agency === HEALTH);
    expect(fromHealth.map((f) => f.label)).toEqual(expect.arrayContaining(['Name', 'Involvement', 'Needs']));
    for (const f of fromHealth) expect(f.sharedUnder).toMatch(/shared under agreement .+ v\d+ for case coordination/);
    // The platform admin runs the broker but is no agency: cases are not theirs to read.
    expect((await call(api.adminToken, 'GET', `/v1/cases/${lead.id}`)).status).toBe(403);
    // A worker of another agency with no part in the case cannot see it.
    const stranger = await staffMember(api.base, api.adminToken, HEALTH, 'h-other', ['caseworker']);
    expect((await call(stranger, 'GET', `/v1/cases/${lead.id}`)).status).toBe(404);
  });

  it('the lead hands the case over with a reason; the history keeps both, and everyone is told', async () => {
    const [kase] = (
      await owner.query<{ id: string; lead_worker_id: string }>(`SELECT id, lead_worker_id FROM coordinated_case`)
    ).rows;
    const leadName = Object.entries(ids).find(([, id]) => id === kase!.lead_worker_id)![0];
    const body = { workerId: ids['h-hana'], reason: 'health now leads on the mother\u2019s recovery plan' };
    // Someone who is not the lead cannot.
    expect((await call(people['s-sam']!, 'POST', `/v1/cases/${kase!.id}/handover`, body)).status).toBe(403);
    const before = (await notifications()).filter((n) => n.type === 'lead.assigned').length;
    const handed = await call(people[leadName]!, 'POST', `/v1/cases/${kase!.id}/handover`, body);
    expect(handed.status).toBe(200);
    expect(handed.body).toMatchObject({ status: 'accepted', leadWorkerId: ids['h-hana'] });
    const view = await call(people['h-hana']!, 'GET', `/v1/cases/${kase!.id}`);
    expect(view.body.lead).toMatchObject({ workerId: ids['h-hana'], agency: HEALTH });
    const statuses = (view.body.offers as { status: string }[]).map((o) => o.status);
    expect(statuses.slice(-2)).toEqual(['handed-over', 'accepted']);
    expect((view.body.events as { kind: string }[]).at(-1)!.kind).toBe('handed-over');
    const told = (await notifications()).filter((n) => n.type === 'lead.assigned').slice(before);
    expect(new Set(told.map((n) => n.person_id))).toEqual(new Set(Object.values(ids)));
  });
});

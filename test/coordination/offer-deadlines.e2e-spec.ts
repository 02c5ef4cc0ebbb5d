import { randomBytes } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { CoordinationService, loadCoordinationSettings } from '@joinedup/coordination-service';
import { LiveGovernance } from '@joinedup/enforcement';
import { createWorker } from '../../apps/worker/src/bootstrap.js';
import { createTestDatabase, registerAgencyClient, testConfig, type TestDatabase } from '@joinedup/testing';
import { jsonClient, staffMember } from '../support/http.js';
import { startApi, type RunningApi } from '../support/start-api.js';

const CSC = 'northmoor-csc';
const SCHOOL = 'northmoor-schools';
const DAY = 86_400_000;
const iso = (offsetDays: number) => new Date(Date.now() + offsetDays * DAY).toISOString();

interface OfferRow {
  id: string;
  target_kind: string;
  worker_id: string | null;
  status: string;
  explanation: string;
  deadline: Date;
}

/**
 * Offers that nobody answers: each expires at its deadline (two working days), the case moves to the
 * next candidate, and after the policy's three failures the team manager is asked, who assigns a worker.
 */
describe('lead offers at their deadlines: expiry, the next candidate, escalation to the team manager', () => {
  let db: TestDatabase;
  let api: RunningApi;
  let worker: INestApplication;
  let owner: pg.Client;
  const prefix = `test:${randomBytes(6).toString('hex')}`;
  const people: Record<string, string> = {};
  let now = new Date();
  let later: CoordinationService;
  const call = (token: string, method: string, path: string, body?: unknown) =>
    jsonClient(api.base)(token, method, path, body);
  const offers = async () => (await owner.query<OfferRow>(`SELECT * FROM lead_offer ORDER BY offered_at, id`)).rows;
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
    // The same service as the worker's, on a clock the test moves.
    later = new CoordinationService(
      api.app.get(DataSource),
      api.app.get(LiveGovernance),
      loadCoordinationSettings(),
      () => now,
    );
    const csc = await (
      await registerAgencyClient(api.base, api.adminToken, { agencyId: CSC, sector: 'children-social-care' })
    ).getToken();
    const school = await (
      await registerAgencyClient(api.base, api.adminToken, { agencyId: SCHOOL, sector: 'education' })
    ).getToken();
    for (const [agency, name, roles] of [
      [CSC, 'ig-csc', ['ig-officer']],
      [SCHOOL, 'ig-school', ['ig-officer']],
      [CSC, 'csc-ann', ['caseworker']],
      [CSC, 'csc-bob', ['caseworker']],
      [CSC, 'csc-manager', ['team-manager']],
      [SCHOOL, 's-sam', ['caseworker']],
    ] as const)
      people[name] = await staffMember(api.base, api.adminToken, agency, name, [...roles]);
    const base = {
      name: { given: 'Jayden', family: 'Okafor' },
      birthDate: '2015-03-19',
      identifiers: [{ system: 'nhs-number', value: '9434765919' }],
    };
    const put = async (token: string, externalId: string, worker: string, needs: string[], household?: object) =>
      expect(
        (
          await call(token, 'PUT', `/v1/records/${externalId}`, {
            externalId,
            version: 1,
            ...base,
            involvement: { status: 'open', worker },
            needs,
            ...(household ? { household } : {}),
          })
        ).status,
      ).toBe(200);
    await put(csc, 'c-1', 'csc-ann', ['child-protection'], { reference: 'HH-9', role: 'child' });
    await put(csc, 'c-2', 'csc-bob', ['child-in-need'], { reference: 'HH-9', role: 'child' });
    await put(school, 's-1', 's-sam', ['school-attendance']);
    const parties = [CSC, SCHOOL];
    const draft = await call(people['ig-csc']!, 'POST', '/v1/governance/agreements', {
      title: 'Children missing school',
      parties,
      purposes: ['identity-matching', 'case-coordination'],
      flows: [
        { from: CSC, to: SCHOOL, categories: ['identity', 'involvement'] },
        { from: SCHOOL, to: CSC, categories: ['identity', 'involvement'] },
      ],
      lawfulBasis: { article6: 'public-task', gateway: 'Education Act 1996 s436A' },
      consentRule: 'not-required',
      validFrom: iso(-1),
      validTo: iso(365),
      reviewDate: iso(180),
      dpiaReference: 'DPIA-2026-051',
    });
    const id = draft.body.id as string;
    await call(people['ig-csc']!, 'POST', `/v1/governance/agreements/${id}/submit`);
    await call(people['ig-school']!, 'POST', `/v1/governance/agreements/${id}/approve`);
    await call(people['ig-csc']!, 'POST', `/v1/governance/agreements/${id}/activate`);
  }, 120_000);

  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await owner?.end();
    await db?.drop();
  });

  it('an offer lasts two working days; nothing happens before its deadline', async () => {
    await until('the first offer', async () => (await offers()).length === 1);
    const [first] = await offers();
    expect(first!.status).toBe('pending');
    const hours = (first!.deadline.getTime() - Date.now()) / 3_600_000;
    expect(hours).toBeGreaterThanOrEqual(47);
    now = new Date(first!.deadline.getTime() - 60_000);
    expect(await later.expireDueOffers('t-early')).toBe(0);
    expect((await offers())[0]!.status).toBe('pending');
  });

  it('unanswered offers expire and move on; after three the team manager is asked and assigns a worker', async () => {
    for (let round = 1; round <= 3; round++) {
      const pending = (await offers()).find((o) => o.status === 'pending')!;
      now = new Date(pending.deadline.getTime() + 1000);
      expect(await later.expireDueOffers(`t-${round}`)).toBe(1);
    }
    const all = await offers();
    expect(all.map((o) => o.status)).toEqual(['expired', 'expired', 'expired', 'pending']);
    expect(all.slice(0, 3).map((o) => o.target_kind)).toEqual(['worker', 'worker', 'duty-team']);
    const escalation = all[3]!;
    expect(escalation.target_kind).toBe('team-manager');
    expect(escalation.explanation).toMatch(/escalated to the team manager after 3 offers/);
    const [manager] = (await owner.query<{ id: string }>(`SELECT id FROM person WHERE staff_ref = 'csc-manager'`)).rows;
    const told = await owner.query(`SELECT 1 FROM notification WHERE type = 'offer.made' AND person_id = $1`, [
      manager!.id,
    ]);
    expect(told.rowCount).toBe(1);

    const [ann] = (await owner.query<{ id: string }>(`SELECT id FROM person WHERE staff_ref = 'csc-ann'`)).rows;
    // A caseworker cannot take the manager's offer; the manager assigns Ann.
    expect((await call(people['csc-bob']!, 'POST', `/v1/offers/${escalation.id}/accept`, {})).status).toBe(404);
    const accepted = await call(people['csc-manager']!, 'POST', `/v1/offers/${escalation.id}/accept`, {
      workerId: ann!.id,
    });
    expect(accepted.status).toBe(200);
    const [kase] = (await owner.query<{ lead_worker_id: string }>(`SELECT lead_worker_id FROM coordinated_case`)).rows;
    expect(kase!.lead_worker_id).toBe(ann!.id);
  });

  it('admins publish a new lead-worker policy version; invalid ones are refused with every problem; it applies next', async () => {
    const current = await call(api.adminToken, 'GET', '/v1/admin/coordination/lead-policy');
    expect(current.status).toBe(200);
    const policy = current.body.policy as Record<string, unknown> & { offers: Record<string, number>; version: number };
    expect(policy.version).toBe(1);
    const bad = await call(api.adminToken, 'PUT', '/v1/admin/coordination/lead-policy', {
      policy: { ...policy, steps: ['continuity', 'coin-toss'], needPriority: ['not-a-need'] },
      reason: 'trying',
    });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toMatch(/coin-toss/);
    expect(JSON.stringify(bad.body)).toMatch(/not-a-need/);
    expect(
      (await call(people['csc-ann']!, 'PUT', '/v1/admin/coordination/lead-policy', { policy, reason: 'x' })).status,
    ).toBe(403);
    const published = await call(api.adminToken, 'PUT', '/v1/admin/coordination/lead-policy', {
      policy: { ...policy, offers: { ...policy.offers, workingDays: 5 } },
      reason: 'two days was too short over half-term',
    });
    expect(published.status).toBe(200);
    expect(published.body).toMatchObject({ version: 2, offers: { workingDays: 5 } });
    const seen = await call(people['csc-manager']!, 'GET', '/v1/admin/coordination/lead-policy');
    expect(seen.body).toMatchObject({
      policy: { version: 2 },
      versions: [{ version: 2, reason: 'two days was too short over half-term' }],
    });
    const inForce = await api.app.get(DataSource).transaction(async (m) => {
      await m.query(`SELECT set_config('joinedup.scope', 'system', true)`);
      return later.policy(m);
    });
    expect(inForce.offers.workingDays).toBe(5);
  });
});

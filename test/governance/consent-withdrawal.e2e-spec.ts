import { randomBytes } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { createWorker } from '../../apps/worker/src/bootstrap.js';
import { createTestDatabase, registerAgencyClient, testConfig, type TestDatabase } from '@joinedup/testing';
import { jsonClient, staffMember, type Json } from '../support/http.js';
import { startApi, type RunningApi } from '../support/start-api.js';

const CSC = 'northmoor-csc';
const POLICE = 'northmoor-police';
const DAY = 86_400_000;
const iso = (offsetDays: number) => new Date(Date.now() + offsetDays * DAY).toISOString();
interface Shared {
  personId: string | null;
  shared: { agency: string; fields: Json; categories: string[]; withheld: string[]; why: Json }[];
}

/**
 * The governance issue's promise end to end: no agreement, no link; an agreement drafted, simulated,
 * approved by the other party and activated, and the link forms; consent withdrawn, and within five
 * seconds the other agency reads nothing more and the link is gone.
 */
describe('governance end to end: agreement, link, consent withdrawal', () => {
  let db: TestDatabase;
  let api: RunningApi;
  let worker: INestApplication;
  let igCsc: string;
  let igPolice: string;
  let police: string;
  const prefix = `test:${randomBytes(6).toString('hex')}`;
  const consentIds: string[] = [];

  const call = (token: string, method: string, path: string, body?: unknown) =>
    jsonClient(api.base)(token, method, path, body);

  const shared = async (): Promise<Shared> => {
    const got = await call(police, 'GET', '/v1/records/p-1/shared');
    expect(got.status).toBe(200);
    return got.body as unknown as Shared;
  };
  async function within(ms: number, ready: () => Promise<boolean>): Promise<number> {
    const started = Date.now();
    while (!(await ready())) {
      if (Date.now() - started > ms) throw new Error(`not within ${ms} ms`);
      await new Promise((r) => setTimeout(r, 100));
    }
    return Date.now() - started;
  }
  const person = (agencyId: string, name: string) =>
    staffMember(api.base, api.adminToken, agencyId, name, ['ig-officer']);

  beforeAll(async () => {
    db = await createTestDatabase();
    api = await startApi(db, { REDIS_PREFIX: prefix });
    worker = await createWorker(testConfig(db, { REDIS_PREFIX: prefix }));
    await worker.init();
    const csc = await (
      await registerAgencyClient(api.base, api.adminToken, { agencyId: CSC, sector: 'children-social-care' })
    ).getToken();
    police = await (
      await registerAgencyClient(api.base, api.adminToken, { agencyId: POLICE, sector: 'police' })
    ).getToken();
    igCsc = await person(CSC, 'ig-csc');
    igPolice = await person(POLICE, 'ig-police');
    const child = (externalId: string, given: string) => ({
      externalId,
      version: 1,
      name: { given, family: 'Okafor' },
      birthDate: '2014-03-09',
      identifiers: [{ system: 'nhs-number', value: '9434765919' }],
      addresses: [{ lines: ['1 High Street'], locality: 'Northmoor', postcode: 'NM1 1AA' }],
      involvement: { status: 'open', worker: 'csc-w0001' },
    });
    expect((await call(csc, 'PUT', '/v1/records/c-1', child('c-1', 'Amelia'))).status).toBe(200);
    expect((await call(police, 'PUT', '/v1/records/p-1', child('p-1', 'Amelie'))).status).toBe(200);
  }, 90_000);

  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await db?.drop();
  });

  it('with no agreement the two records are not linked and nothing is shared', async () => {
    await within(10_000, async () => (await shared()).personId !== null);
    expect((await shared()).shared).toEqual([]);
  });

  it('an agreement drafted, simulated, approved and activated, with consent, forms the link and shares what it permits', async () => {
    const draft = await call(igCsc, 'POST', '/v1/governance/agreements', {
      title: 'Early help: children known to the police',
      parties: [CSC, POLICE],
      purposes: ['identity-matching', 'case-coordination'],
      flows: [
        { from: CSC, to: POLICE, categories: ['identity', 'address'] },
        { from: POLICE, to: CSC, categories: ['identity'] },
      ],
      lawfulBasis: { article6: 'public-task', gateway: 'Children Act 2004 s10' },
      consentRule: 'explicit-consent',
      validFrom: iso(-1),
      validTo: iso(365),
      reviewDate: iso(180),
      dpiaReference: 'DPIA-2026-021',
    });
    expect(draft.status).toBe(201);
    const id = draft.body.id as string;
    const simulation = await call(igCsc, 'POST', `/v1/governance/agreements/${id}/simulate`);
    expect(simulation.status).toBe(200);
    expect(JSON.stringify(simulation.body)).not.toMatch(/Okafor|Amelia|9434765919/);
    await call(igCsc, 'POST', `/v1/governance/agreements/${id}/submit`);
    expect((await call(igPolice, 'POST', `/v1/governance/agreements/${id}/approve`)).status).toBe(200);
    expect((await call(igCsc, 'POST', `/v1/governance/agreements/${id}/activate`)).body).toMatchObject({
      status: 'active',
    });
    for (const purpose of ['identity-matching', 'case-coordination']) {
      const consent = await call(igCsc, 'POST', '/v1/governance/consents', {
        subjectIds: [`${CSC}/c-1`, `${POLICE}/p-1`],
        purpose,
        state: 'given',
        evidenceRef: 'signed-form-2026-11',
      });
      expect(consent.status).toBe(201);
      consentIds.push(consent.body.id as string);
    }
    await within(5000, async () => (await shared()).shared.length === 1);
    const [fromCsc] = (await shared()).shared;
    expect(fromCsc).toMatchObject({ agency: CSC, categories: ['identity', 'address'] });
    expect(fromCsc!.fields).toMatchObject({ name: { given: 'Amelia' }, addresses: [{ postcode: 'NM1 1AA' }] });
    expect(fromCsc!.fields.involvement).toBeUndefined();
    expect(fromCsc!.withheld).toEqual(['involvement']);
    expect(fromCsc!.why.linked).toMatch(/same NHS number/);
    expect(fromCsc!.why.shared).toMatch(new RegExp(`agreement ${id} v\\d+ for case-coordination`));
  });

  it('withdrawing consent stops the reads and undoes the link within five seconds', async () => {
    const linkedPerson = (await shared()).personId;
    for (const consent of consentIds) {
      const withdrawn = await call(igCsc, 'POST', `/v1/governance/consents/${consent}/withdraw`, {
        evidenceRef: 'phone-call-2026-11',
      });
      expect(withdrawn.status).toBe(200);
    }
    const took = await within(5000, async () => {
      const now = await shared();
      return now.shared.length === 0 && now.personId !== linkedPerson;
    });
    expect(took).toBeLessThan(5000);
  });
});

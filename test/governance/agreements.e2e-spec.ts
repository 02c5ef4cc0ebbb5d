import pg from 'pg';
import { createTestDatabase, registerAgencyClient, signIn, type TestDatabase } from '@joinedup/testing';
import { startApi, type RunningApi } from '../support/start-api.js';

const CSC = 'northmoor-csc';
const POLICE = 'northmoor-police';
const NHS = '9434765918';
const DAY = 86_400_000;
const iso = (offsetDays: number) => new Date(Date.now() + offsetDays * DAY).toISOString();

type Json = Record<string, unknown>;

describe('governance over HTTP: agreements, consent and decisions', () => {
  let db: TestDatabase;
  let api: RunningApi;
  let igCsc: string;
  let igPolice: string;
  let caseworker: string;
  let owner: pg.Client;

  const call = async (token: string, method: string, path: string, body?: unknown) => {
    const response = await fetch(`${api.base}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : null) as Json };
  };

  async function person(agencyId: string, name: string, roles: string[]): Promise<string> {
    const email = `${name}@${agencyId}.test`;
    const password = `password-${name}-123`;
    const made = await call(api.adminToken, 'POST', `/v1/admin/agencies/${agencyId}/people`, {
      staffRef: name,
      email,
      displayName: name,
      roles,
      password,
    });
    expect(made.status).toBe(201);
    return signIn(api.base, email, password);
  }

  async function putRecord(agencyId: string, externalId: string): Promise<void> {
    const client = await registerAgencyClient(api.base, api.adminToken, { agencyId, sector: sectorOf(agencyId) });
    const token = await client.getToken();
    const put = await call(token, 'PUT', `/v1/records/${externalId}`, {
      externalId,
      version: 1,
      name: { given: 'Amelia', family: 'Okafor' },
      birthDate: '2014-03-09',
      identifiers: [{ system: 'nhs-number', value: NHS }],
      addresses: [{ lines: ['1 High Street'], postcode: 'LS1 1AA' }],
    });
    expect(put.status).toBe(200);
  }

  const sectorOf = (agencyId: string) => (agencyId === POLICE ? 'police' : 'children-social-care');

  const content = () => ({
    title: 'Early help information sharing',
    parties: [CSC, POLICE],
    purposes: ['case-coordination'],
    flows: [{ from: POLICE, to: CSC, categories: ['identity', 'address'] }],
    lawfulBasis: { article6: 'public-task', gateway: 'Children Act 2004 s10' },
    consentRule: 'explicit-consent',
    validFrom: iso(-1),
    validTo: iso(365),
    reviewDate: iso(180),
    dpiaReference: 'DPIA-2026-001',
  });

  const decide = (token: string) =>
    call(token, 'POST', '/v1/governance/decide', {
      purpose: 'case-coordination',
      fromAgency: POLICE,
      toAgency: CSC,
      subject: [`${POLICE}/p-1`, `${CSC}/c-1`],
      categories: ['identity', 'address'],
    });

  const auditTypes = async (): Promise<string[]> =>
    (await owner.query<{ type: string }>(`SELECT type FROM audit_event ORDER BY seq`)).rows.map((r) => r.type);

  beforeAll(async () => {
    db = await createTestDatabase();
    api = await startApi(db);
    await putRecord(CSC, 'c-1');
    await putRecord(POLICE, 'p-1');
    igCsc = await person(CSC, 'ig-csc', ['ig-officer']);
    igPolice = await person(POLICE, 'ig-police', ['ig-officer']);
    caseworker = await person(CSC, 'cw-csc', ['caseworker']);
    owner = new pg.Client({ connectionString: db.ownerUrl });
    await owner.connect();
  }, 60_000);

  afterAll(async () => {
    await owner?.end();
    await api?.close();
    await db?.drop();
  });

  it('takes an agreement from draft to active under the two-person rule, and decide follows consent', async () => {
    expect((await decide(igCsc)).body).toMatchObject({ decision: 'deny', agreement: null });

    const draft = await call(igCsc, 'POST', '/v1/governance/agreements', content());
    expect(draft.status).toBe(201);
    const id = draft.body.id as string;
    expect(draft.body).toMatchObject({ version: 1, status: 'draft', pendingApprovals: [POLICE] });

    const edited = await call(igCsc, 'PATCH', `/v1/governance/agreements/${id}`, { dpiaReference: 'DPIA-2026-002' });
    expect(edited.body).toMatchObject({ version: 2, status: 'draft' });
    const diff = await call(igCsc, 'GET', `/v1/governance/agreements/${id}/diff?from=1&to=2`);
    expect((diff.body.changes as { path: string }[]).map((c) => c.path)).toEqual(
      expect.arrayContaining(['dpiaReference', 'version', 'change.description']),
    );

    const consent = await call(igCsc, 'POST', '/v1/governance/consents', {
      subjectIds: [`${CSC}/c-1`],
      purpose: 'case-coordination',
      state: 'given',
      evidenceRef: 'form-2026-17',
      at: iso(-0.5),
    });
    expect(consent.status).toBe(201);

    const simulation = await call(igCsc, 'POST', `/v1/governance/agreements/${id}/simulate`);
    expect(simulation.status).toBe(200);
    expect(simulation.body.problems).toEqual([]);
    expect(simulation.body.starts).toEqual(
      expect.arrayContaining([
        { purpose: 'case-coordination', from: POLICE, to: CSC, category: 'identity', persons: 1, records: 1 },
        { purpose: 'case-coordination', from: POLICE, to: CSC, category: 'address', persons: 1, records: 1 },
      ]),
    );
    // Word boundaries: a random uuid in the answer may hold "c-1" (as in "...be2c-1a56...").
    expect(JSON.stringify(simulation.body)).not.toMatch(/Okafor|Amelia|9434765918|\bp-1\b|\bc-1\b/);

    expect((await call(igCsc, 'POST', `/v1/governance/agreements/${id}/submit`)).body).toMatchObject({
      status: 'awaiting-approval',
    });
    expect((await call(igCsc, 'POST', `/v1/governance/agreements/${id}/approve`)).status).toBe(403);
    expect((await call(igCsc, 'POST', `/v1/governance/agreements/${id}/activate`)).status).toBe(409);
    expect((await call(igPolice, 'POST', `/v1/governance/agreements/${id}/approve`)).body).toMatchObject({
      pendingApprovals: [],
    });
    const active = await call(igCsc, 'POST', `/v1/governance/agreements/${id}/activate`);
    expect(active.body).toMatchObject({ status: 'active', version: 5 });

    const allowed = await decide(igPolice);
    expect(allowed.body).toMatchObject({
      decision: 'allow',
      categories: ['identity', 'address'],
      agreement: { id, version: 5 },
      consentRef: consent.body.id,
    });

    const withdrawn = await call(igCsc, 'POST', `/v1/governance/consents/${consent.body.id as string}/withdraw`, {
      evidenceRef: 'call-2026-03',
    });
    expect(withdrawn.body).toMatchObject({ state: 'withdrawn', supersedes: consent.body.id });
    const deadline = Date.now() + 5000;
    let last = await decide(igPolice);
    while (last.body.decision !== 'deny' && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
      last = await decide(igPolice);
    }
    expect(last.body).toMatchObject({ decision: 'deny', agreement: { id, version: 5 } });

    const versions = await call(igPolice, 'GET', `/v1/governance/agreements/${id}`);
    expect((versions.body.versions as Json[]).map((v) => v.status)).toEqual([
      'draft',
      'draft',
      'awaiting-approval',
      'awaiting-approval',
      'active',
    ]);
    const v3 = await call(igPolice, 'GET', `/v1/governance/agreements/${id}/versions/3`);
    expect(v3.body).toMatchObject({ version: 3, status: 'awaiting-approval' });

    const decisions = await call(igCsc, 'GET', `/v1/governance/decisions?subject=${CSC}/c-1`);
    expect((decisions.body.items as Json[]).map((d) => d.decision)).toEqual(expect.arrayContaining(['allow', 'deny']));
    const stored = await owner.query(`SELECT decision FROM governance_decision`);
    expect(stored.rowCount).toBeGreaterThanOrEqual(3);

    const types = await auditTypes();
    expect(types.filter((t) => t === 'governance.agreement-changed')).toHaveLength(5);
    expect(types.filter((t) => t === 'governance.consent-recorded')).toHaveLength(2);
    expect(types).toContain('governance.agreement-simulated');
    expect(types.filter((t) => t === 'governance.decision').length).toBe(stored.rowCount);
  }, 60_000);

  it('refuses agreement changes to caseworkers and hides agreements from non-parties', async () => {
    const draft = await call(igCsc, 'POST', '/v1/governance/agreements', content());
    const id = draft.body.id as string;
    expect((await call(caseworker, 'POST', '/v1/governance/agreements', content())).status).toBe(403);
    expect((await call(caseworker, 'PATCH', `/v1/governance/agreements/${id}`, { title: 'x' })).status).toBe(403);
    expect((await call(caseworker, 'GET', `/v1/governance/agreements/${id}`)).status).toBe(403);

    await registerAgencyClient(api.base, api.adminToken, { agencyId: 'northmoor-housing', sector: 'housing' });
    const igHousing = await person('northmoor-housing', 'ig-housing', ['ig-officer']);
    expect((await call(igHousing, 'GET', `/v1/governance/agreements/${id}`)).status).toBe(404);
    expect((await call(igHousing, 'POST', `/v1/governance/agreements/${id}/approve`)).status).toBe(404);
    expect((await call(igHousing, 'GET', '/v1/governance/decisions')).body.items).toEqual([]);
    expect(((await call(igPolice, 'GET', '/v1/governance/decisions')).body.items as Json[]).length).toBeGreaterThan(0);
  }, 30_000);

  it('lets agency systems with records:write send consent, and shows each agency only its own records', async () => {
    const writer = await registerAgencyClient(api.base, api.adminToken, { agencyId: POLICE, sector: 'police' });
    const reader = await registerAgencyClient(api.base, api.adminToken, {
      agencyId: POLICE,
      sector: 'police',
      scopes: ['records:read'],
    });
    const body = {
      subjectIds: [`${POLICE}/p-9`],
      purpose: 'safeguarding',
      state: 'refused',
      scope: [CSC],
      evidenceRef: 'police-system-77',
    };
    const sent = await call(await writer.getToken(), 'POST', '/v1/governance/consents', body);
    expect(sent.status).toBe(201);
    expect(sent.body).toMatchObject({ agencyId: POLICE, recordedBy: writer.clientId, scope: [CSC] });
    expect((await call(await reader.getToken(), 'POST', '/v1/governance/consents', body)).status).toBe(403);

    const own = await call(igPolice, 'GET', `/v1/governance/consents?subject=${POLICE}/p-9`);
    expect((own.body.items as Json[]).map((c) => c.id)).toEqual([sent.body.id]);
    const other = await call(igCsc, 'GET', `/v1/governance/consents?subject=${POLICE}/p-9`);
    expect(other.body.items).toEqual([]);
    const notParty = await call(igCsc, 'POST', `/v1/governance/consents/${sent.body.id as string}/withdraw`, {
      evidenceRef: 'x',
    });
    expect(notParty.status).toBe(404);
  }, 30_000);

  it('stores agreement versions, consent and decisions append-only', async () => {
    const app = new pg.Client({ connectionString: db.appUrl });
    await app.connect();
    try {
      for (const table of ['agreement_version', 'consent_record', 'governance_decision']) {
        await expect(owner.query(`DELETE FROM ${table}`)).rejects.toThrow(/append-only/);
        await expect(app.query(`UPDATE ${table} SET id = id`)).rejects.toThrow(/permission denied/);
      }
    } finally {
      await app.end();
    }
  });
});

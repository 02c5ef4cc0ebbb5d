import pg from 'pg';
import { verifyAuditExport, type ChainedAuditEvent } from '@joinedup/audit';
import {
  createTestDatabase,
  registerAgencyClient,
  signIn,
  type TestClient,
  type TestDatabase,
} from '@joinedup/testing';
import { startApi, type RunningApi } from '../support/start-api.js';

const A = 'audit-agency-a';
const B = 'audit-agency-b';

interface Page {
  events: ChainedAuditEvent[];
  nextCursor: number | null;
}

describe('audit trail over HTTP', () => {
  let db: TestDatabase;
  let api: RunningApi;
  let a: TestClient;
  let tokenA: string;
  let igToken: string;
  let caseworkerToken: string;
  let igPersonId: string;

  const call = (path: string, token: string, init: RequestInit = {}) =>
    fetch(`${api.base}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...(init.headers ?? {}) },
    });
  const search = async (query: Record<string, string>, token = api.adminToken): Promise<Page> => {
    const response = await call(`/v1/audit/events?${new URLSearchParams(query).toString()}`, token);
    expect(response.status).toBe(200);
    return (await response.json()) as Page;
  };
  const addPerson = async (agencyId: string, roles: string[], n: number): Promise<{ id: string; token: string }> => {
    const email = `person-${n}@${agencyId}.test.invalid`;
    const password = `password-${n}-long-enough`;
    const response = await call(`/v1/admin/agencies/${agencyId}/people`, api.adminToken, {
      method: 'POST',
      body: JSON.stringify({ staffRef: `S-${n}`, email, displayName: `Staff Member ${n}`, roles, password }),
    });
    expect(response.status).toBe(201);
    const { id } = (await response.json()) as { id: string };
    return { id, token: await signIn(api.base, email, password) };
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    api = await startApi(db);
    a = await registerAgencyClient(api.base, api.adminToken, { agencyId: A });
    await registerAgencyClient(api.base, api.adminToken, { agencyId: B });
    tokenA = await a.getToken();
    const ig = await addPerson(A, ['ig-officer'], 1);
    igPersonId = ig.id;
    igToken = ig.token;
    caseworkerToken = (await addPerson(A, ['caseworker'], 2)).token;
  });
  afterAll(async () => {
    await api.close();
    await db.drop();
  });

  it('records a registry change with its actor, ids only', async () => {
    const { events } = await search({ subject: `agency:${A}`, type: 'registry.changed' });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      actor: { kind: 'person', id: 'platform-admin' },
      agencyId: A,
      details: { change: 'agency.created' },
    });
    const person = await search({ subject: `person:${igPersonId}` });
    expect(person.events[0]).toMatchObject({ details: { change: 'person.created', roles: ['ig-officer'] } });
    // Neither the e-mail address nor the name of the person reaches the chain.
    expect(JSON.stringify(person.events)).not.toMatch(/Staff Member|test\.invalid|S-1/);
  });

  it('records security events: token issued, sign-in succeeded, access denied', async () => {
    const issued = await search({ type: 'token.issued', agency: A });
    expect(issued.events[0]).toMatchObject({ actor: { kind: 'agency-client', id: a.clientId, agency: A } });
    const signedIn = await search({ type: 'sign-in.succeeded', agency: A });
    expect(signedIn.events.map((e) => e.actor.id)).toContain(igPersonId);
    const refused = await fetch(`${api.base}/v1/auth/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'nobody@test.invalid', password: 'wrong-password' }),
    });
    expect(refused.status).toBe(401);
    const failed = await search({ type: 'sign-in.failed' });
    expect(failed.events).toHaveLength(1);
    expect(JSON.stringify(failed.events)).not.toContain('nobody@');
  });

  it('records one event per intake request, naming the records as agency/externalId', async () => {
    const body = (n: number) => JSON.stringify({ version: 1, name: { given: 'Ada', family: `Intake${n}` } });
    const put = await call('/v1/records/aud-1', tokenA, { method: 'PUT', body: body(1) });
    expect(put.status).toBe(200);
    const requestId = put.headers.get('x-request-id');
    const { events } = await search({ subject: `${A}/aud-1`, type: 'records.received' });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      actor: { kind: 'agency-client', id: a.clientId },
      agencyId: A,
      subjects: [`${A}/aud-1`],
      details: { requestId, received: 1, created: 1, updated: 0, unchanged: 0, stale: 0 },
    });
    expect(JSON.stringify(events[0])).not.toContain('Intake1');

    const file = [2, 3, 4].map((n) =>
      JSON.stringify({ externalId: `aud-${n}`, version: 1, name: { given: 'Ada', family: `F${n}` } }),
    );
    const bulk = await fetch(`${api.base}/v1/records:bulk`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokenA}`, 'content-type': 'application/x-ndjson' },
      body: file.join('\n'),
    });
    expect(bulk.status).toBe(200);
    await bulk.text();
    const bulkEvents = await search({ subject: `${A}/aud-3`, type: 'records.received' });
    expect(bulkEvents.events).toHaveLength(1);
    expect(bulkEvents.events[0]!.subjects).toEqual([`${A}/aud-2`, `${A}/aud-3`, `${A}/aud-4`]);
  });

  it('pages by cursor, newest first, with no gap and no overlap', async () => {
    for (let n = 10; n < 15; n += 1) {
      const put = await call(`/v1/records/page-${n}`, tokenA, {
        method: 'PUT',
        body: JSON.stringify({ version: 1, name: { given: 'Ada', family: `P${n}` } }),
      });
      expect(put.status).toBe(200);
    }
    const all = await search({ agency: A, type: 'records.received', limit: '1000' });
    const seen: number[] = [];
    let cursor: number | null = null;
    do {
      const page: Page = await search({
        agency: A,
        type: 'records.received',
        limit: '2',
        ...(cursor ? { cursor: String(cursor) } : {}),
      });
      expect(page.events.length).toBeLessThanOrEqual(2);
      seen.push(...page.events.map((e) => e.seq));
      cursor = page.nextCursor;
    } while (cursor !== null);
    expect(seen).toEqual(all.events.map((e) => e.seq));
    expect(seen).toEqual([...seen].sort((x, y) => y - x));
    expect(seen.length).toBeGreaterThanOrEqual(7);
  });

  it("holds an IG officer to their own agency's events, and records every read", async () => {
    const own = await search({ type: 'registry.changed' }, igToken);
    expect(own.events.length).toBeGreaterThan(0);
    expect(own.events.every((e) => e.agencyId === A)).toBe(true);
    const other = await call(`/v1/audit/events?agency=${B}`, igToken);
    expect(other.status).toBe(403);
    const reads = await search({ type: 'audit.searched', agency: A });
    expect(reads.events.some((e) => e.actor.id === igPersonId && e.details.operation === 'search')).toBe(true);
  });

  it('a search sees an event committed but not yet chained (as linkage leaves them)', async () => {
    const owner = new pg.Client({ connectionString: db.ownerUrl });
    await owner.connect();
    try {
      await owner.query(
        `INSERT INTO audit_pending (event_id, at, type, actor, agency_id, subjects, details)
         VALUES ('3f1d9a52-6c0e-4b7a-9e21-8d4c2b6a1f07', now(), 'governance.decision',
                 '{"kind":"system","id":"linkage"}', $1, '{}', '{"context":"identity-matching link"}')`,
        [A],
      );
    } finally {
      await owner.end();
    }
    const page = await search({ type: 'governance.decision', agency: A });
    expect(page.events.map((e) => e.id)).toContain('3f1d9a52-6c0e-4b7a-9e21-8d4c2b6a1f07');
  });

  it('refuses a caseworker and an agency system (403)', async () => {
    expect((await call('/v1/audit/events', caseworkerToken)).status).toBe(403);
    expect((await call('/v1/audit/verify', caseworkerToken)).status).toBe(403);
    expect((await call('/v1/audit/events', tokenA)).status).toBe(403);
    const denied = await search({ type: 'access.denied', agency: A });
    expect(denied.events.length).toBeGreaterThanOrEqual(3);
  });

  it('exports the chain for the platform admin only, including the record of the export', async () => {
    expect((await call('/v1/audit/export', igToken)).status).toBe(403);
    const response = await call('/v1/audit/export', api.adminToken);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('application/x-ndjson');
    const lines = (await response.text()).split('\n').filter(Boolean);
    const events = lines.map((l) => JSON.parse(l) as { kind: string; type?: string; details?: { operation?: string } });
    expect(events[0]!.kind).toBe('header');
    expect(events.at(-1)).toMatchObject({ kind: 'event', type: 'audit.searched', details: { operation: 'export' } });
    expect((await verifyAuditExport(lines)).ok).toBe(true);
  });

  it('verifies the chain, then names the first broken seq after tampering', async () => {
    const before = await call('/v1/audit/verify', igToken);
    expect(before.status).toBe(200);
    expect(await before.json()).toMatchObject({ ok: true });
    const { events } = await search({ subject: `${A}/aud-1`, type: 'records.received' });
    const target = events[0]!.seq;
    const owner = new pg.Client({ connectionString: db.ownerUrl });
    await owner.connect();
    try {
      // The owner can switch the append-only trigger off for its session: exactly what the chain detects.
      await owner.query(`SET session_replication_role = replica`);
      await owner.query(`UPDATE audit_event SET details = details || '{"received": 0}' WHERE seq = $1`, [target]);
    } finally {
      await owner.end();
    }
    const after = await call('/v1/audit/verify', api.adminToken);
    expect(after.status).toBe(200);
    expect(await after.json()).toMatchObject({ ok: false, firstBroken: { seq: target } });
  });

  it('lists signed checkpoints', async () => {
    const response = await call('/v1/audit/checkpoints', igToken);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ checkpoints: expect.any(Array) });
  });
});

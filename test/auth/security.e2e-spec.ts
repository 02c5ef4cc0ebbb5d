import { createHmac, randomUUID } from 'node:crypto';
import { exportJWK, exportSPKI, generateKeyPair, SignJWT } from 'jose';
import {
  createTestDatabase,
  registerAgencyClient,
  signIn,
  type TestClient,
  type TestDatabase,
} from '@joinedup/testing';
import { startApi, type RunningApi } from '../support/start-api.js';

const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('auth security: attacks that must fail', () => {
  let db: TestDatabase;
  let api: RunningApi;
  let a: TestClient;
  let b: TestClient;
  let tokenA: string;
  let tokenB: string;

  const tokenRequest = (assertion: string, extra: Record<string, string> = {}) =>
    fetch(`${api.base}/oauth/token`, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
        client_assertion: assertion,
        ...extra,
      }),
    });
  const call = (path: string, token: string, init: RequestInit = {}) =>
    fetch(`${api.base}${path}`, {
      ...init,
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        ...(init.headers as Record<string, string>),
      },
    });

  beforeAll(async () => {
    db = await createTestDatabase();
    api = await startApi(db);
    a = await registerAgencyClient(api.base, api.adminToken, {
      agencyId: 'agency-a',
      scopes: ['records:read', 'records:write'],
    });
    b = await registerAgencyClient(api.base, api.adminToken, {
      agencyId: 'agency-b',
      scopes: ['records:read', 'records:write'],
    });
    tokenA = await a.getToken();
    tokenB = await b.getToken();
    const put = await call('/v1/records/b-secret', tokenB, {
      method: 'PUT',
      body: JSON.stringify({ version: 1, name: { given: 'Bartholomew', family: 'Secretsson' } }),
    });
    expect(put.status).toBe(200);
  });
  afterAll(async () => {
    await api.close();
    await db.drop();
  });

  describe('client assertions at the token endpoint', () => {
    async function expectRefused(assertion: string, description?: RegExp): Promise<void> {
      const response = await tokenRequest(assertion);
      expect(response.status).toBe(401);
      const body = (await response.json()) as { error: string; error_description: string };
      expect(body.error).toBe('invalid_client');
      if (description) expect(body.error_description).toMatch(description);
    }

    it.each(['none', 'NONE', 'nOnE'])('refuses alg %s', async (alg) => {
      const unsigned = `${b64({ alg, kid: a.kid })}.${b64({ iss: a.clientId, sub: a.clientId, aud: `${api.base}/oauth/token`, exp: Math.floor(Date.now() / 1000) + 60, jti: randomUUID() })}.`;
      await expectRefused(unsigned);
    });

    it('refuses HS256 signed with the client public key as the secret', async () => {
      const { publicKey } = await generateKeyPair('RS256', { extractable: true });
      const secret = await exportSPKI(publicKey);
      const payload = b64({
        iss: a.clientId,
        sub: a.clientId,
        aud: `${api.base}/oauth/token`,
        exp: Math.floor(Date.now() / 1000) + 60,
        jti: randomUUID(),
      });
      const header = b64({ alg: 'HS256', kid: a.kid });
      const signature = createHmac('sha256', secret).update(`${header}.${payload}`).digest('base64url');
      await expectRefused(`${header}.${payload}.${signature}`, /algorithm is not allowed/);
    });

    it('refuses an assertion with no exp', async () => {
      const noExp = await new SignJWT({ jti: randomUUID() })
        .setProtectedHeader({ alg: a.alg, kid: a.kid })
        .setIssuer(a.clientId)
        .setSubject(a.clientId)
        .setAudience(`${api.base}/oauth/token`)
        .sign(a.privateKey);
      await expectRefused(noExp, /exp/);
    });

    it('refuses expired, not-yet-valid, too-long, wrong-audience and wrong-issuer assertions', async () => {
      const now = Math.floor(Date.now() / 1000);
      await expectRefused(await a.assertion({ exp: now - 60 }), /expired/);
      await expectRefused(await a.assertion({ nbf: now + 600, exp: now + 660 }));
      await expectRefused(await a.assertion({ exp: now + 3600 }), /at most 300 seconds/);
      await expectRefused(await a.assertion({ aud: 'https://elsewhere.example/token' }), /aud/);
      await expectRefused(await a.assertion({ sub: b.clientId }), /sub/);
    });

    it('refuses an unknown kid, a key registered to another client, and a replayed jti', async () => {
      await expectRefused(await a.assertion({}, { kid: 'no-such-kid' }), /no registered key/);
      // Signed with B's private key but claiming to be A, with B's kid: A has no such key.
      const forged = await new SignJWT({ jti: randomUUID() })
        .setProtectedHeader({ alg: b.alg, kid: b.kid })
        .setIssuer(a.clientId)
        .setSubject(a.clientId)
        .setAudience(`${api.base}/oauth/token`)
        .setExpirationTime('60s')
        .sign(b.privateKey);
      await expectRefused(forged);
      const once = await a.assertion();
      expect((await tokenRequest(once)).status).toBe(200);
      await expectRefused(once, /replay/);
    });

    it('ignores jku, x5u and embedded jwk headers that point at an attacker key', async () => {
      const attacker = await generateKeyPair('ES256', { extractable: true });
      const jwk = { ...(await exportJWK(attacker.publicKey)), kid: a.kid };
      const signed = await new SignJWT({ jti: randomUUID() })
        .setProtectedHeader({
          alg: 'ES256',
          kid: a.kid,
          jwk,
          jku: 'http://127.0.0.1:9/jwks.json',
          x5u: 'http://127.0.0.1:9/cert.pem',
        })
        .setIssuer(a.clientId)
        .setSubject(a.clientId)
        .setAudience(`${api.base}/oauth/token`)
        .setExpirationTime('60s')
        .sign(attacker.privateKey);
      await expectRefused(signed, /signature/);
    });

    it('answers RFC 6749 errors for a wrong grant and a scope the client does not hold', async () => {
      const wrongGrant = await fetch(`${api.base}/oauth/token`, {
        method: 'POST',
        body: new URLSearchParams({ grant_type: 'password' }),
      });
      expect(wrongGrant.status).toBe(400);
      expect(await wrongGrant.json()).toMatchObject({ error: 'unsupported_grant_type' });
      const scoped = await tokenRequest(await a.assertion(), { scope: 'webhooks:manage' });
      expect(scoped.status).toBe(400);
      expect(await scoped.json()).toMatchObject({ error: 'invalid_scope' });
    });
  });

  describe('bearer tokens', () => {
    it.each(['none', 'NONE'])('refuses an unsigned bearer token with alg %s', async (alg) => {
      const claims = JSON.parse(Buffer.from(tokenA.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;
      const unsigned = `${b64({ alg, typ: 'at+jwt' })}.${b64(claims)}.`;
      expect((await call('/v1/records', unsigned)).status).toBe(401);
    });

    it('refuses a token the client signed itself, and one with no exp', async () => {
      const own = await new SignJWT({ kind: 'client', agency: 'agency-b', scope: 'records:read' })
        .setProtectedHeader({ alg: 'ES256', kid: a.kid, typ: 'at+jwt' })
        .setIssuer(api.base)
        .setAudience(api.base)
        .setSubject(a.clientId)
        .sign(a.privateKey);
      const response = await call('/v1/records', own);
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe('Bearer');
    });

    it('refuses a route without a token, and a token with a tampered payload', async () => {
      expect((await fetch(`${api.base}/v1/records`)).status).toBe(401);
      const [h, p, s] = tokenA.split('.') as [string, string, string];
      const claims = JSON.parse(Buffer.from(p, 'base64url').toString()) as Record<string, unknown>;
      expect((await call('/v1/records', `${h}.${b64({ ...claims, agency: 'agency-b' })}.${s}`)).status).toBe(401);
    });
  });

  describe('agency isolation', () => {
    it("answers 404 for another agency's record on read, change and delete, and never shows its data", async () => {
      const read = await call('/v1/records/b-secret', tokenA);
      const remove = await call('/v1/records/b-secret', tokenA, { method: 'DELETE' });
      const change = await call('/v1/records/b-secret', tokenA, {
        method: 'PUT',
        body: JSON.stringify({ version: 9, name: { given: 'X', family: 'Y' } }),
      });
      expect(read.status).toBe(404);
      expect(remove.status).toBe(404);
      expect(change.status).toBe(200); // creates A's own record with that external id: B's is untouched
      const list = await call('/v1/records?limit=1000', tokenA);
      const feed = await call('/v1/changes?limit=1000', tokenA);
      for (const body of [await read.text(), await remove.text(), await list.text(), await feed.text()]) {
        expect(body).not.toContain('Secretsson');
        expect(body).not.toContain('Bartholomew');
      }
      const own = (await (await call('/v1/records/b-secret', tokenB)).json()) as {
        version: number;
        record: { name: { family: string } };
      };
      expect(own).toMatchObject({ version: 1, record: { name: { family: 'Secretsson' } } });
    });

    it("answers 404 to an agency admin reaching another agency's clients, people, webhooks and keys", async () => {
      const people = await call('/v1/admin/agencies/agency-a/people', api.adminToken, {
        method: 'POST',
        body: JSON.stringify({
          staffRef: 'adm-1',
          email: 'admin-a@test.invalid',
          displayName: 'Admin A',
          roles: ['agency-admin'],
          password: 'correct horse battery',
        }),
      });
      expect(people.status).toBe(201);
      const adminA = await signIn(api.base, 'admin-a@test.invalid', 'correct horse battery');
      for (const [method, path, body] of [
        ['GET', '/v1/admin/agencies/agency-b/clients'],
        ['GET', '/v1/admin/agencies/agency-b/people'],
        ['GET', '/v1/admin/agencies/agency-b/webhooks'],
        [
          'POST',
          '/v1/admin/agencies/agency-b/webhooks',
          { url: 'https://a.example/hook', eventTypes: ['case.opened'] },
        ],
        [
          'PUT',
          `/v1/admin/agencies/agency-b/clients/${b.clientId}/keys`,
          { jwks: { keys: [{ kty: 'EC', kid: 'x', crv: 'P-256', x: 'a', y: 'b' }] } },
        ],
        ['DELETE', `/v1/admin/agencies/agency-b/clients/${b.clientId}`],
      ] as [string, string, unknown?][]) {
        const response = await call(path, adminA, { method, body: body ? JSON.stringify(body) : undefined });
        expect([method, path, response.status]).toEqual([method, path, 404]);
        expect(await response.text()).not.toContain(b.clientId);
      }
      expect((await call('/v1/admin/agencies/agency-a/clients', adminA)).status).toBe(200);
      expect((await b.getToken()).length).toBeGreaterThan(0); // B's client still works
    });

    it('refuses a caseworker on admin routes (403) and an on-behalf-of person of another agency', async () => {
      await call('/v1/admin/agencies/agency-a/people', api.adminToken, {
        method: 'POST',
        body: JSON.stringify({
          staffRef: 'cw-1',
          email: 'cw-a@test.invalid',
          displayName: 'Caseworker A',
          roles: ['caseworker'],
          password: 'caseworker password',
        }),
      });
      const caseworker = await signIn(api.base, 'cw-a@test.invalid', 'caseworker password');
      expect(
        (
          await call('/v1/admin/agencies', caseworker, {
            method: 'POST',
            body: JSON.stringify({ id: 'x-y', name: 'X', sector: 'health' }),
          })
        ).status,
      ).toBe(403);
      expect((await call('/v1/admin/keys/rotate', caseworker, { method: 'POST' })).status).toBe(403);
      expect((await call('/v1/admin/agencies/agency-a/clients', caseworker)).status).toBe(403);
      const people = (await (await call('/v1/admin/agencies/agency-a/people', api.adminToken)).json()) as {
        id: string;
      }[];
      const response = await call('/v1/records', tokenB, { headers: { 'on-behalf-of': people[0]!.id } });
      expect(response.status).toBe(403);
    });
  });

  describe('bodies', () => {
    it('refuses mass assignment: agencyId, role and __proto__ in bodies', async () => {
      const agency = await call('/v1/admin/agencies', api.adminToken, {
        method: 'POST',
        body: '{"id":"agency-c","name":"C","sector":"health","role":"platform-admin","__proto__":{"admin":true}}',
      });
      expect(agency.status).toBe(400);
      expect(((await agency.json()) as { details: { field: string }[] }).details.map((d) => d.field).sort()).toEqual([
        '__proto__',
      ]);
      const record = await call('/v1/records/r-x', tokenA, {
        method: 'PUT',
        body: JSON.stringify({ version: 1, name: { given: 'A', family: 'B' }, agencyId: 'agency-b' }),
      });
      expect(record.status).toBe(400);
      expect(await record.json()).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ field: 'agencyId' }] });
    });

    it('refuses an oversized body with 413', async () => {
      const huge = JSON.stringify({ version: 1, name: { given: 'A', family: 'B' }, padding: 'x'.repeat(2_000_000) });
      const response = await call('/v1/records/r-big', tokenA, { method: 'PUT', body: huge });
      expect(response.status).toBe(413);
      expect(await response.json()).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
    });
  });
});

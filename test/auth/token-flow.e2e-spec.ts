import { createTestDatabase, registerAgencyClient, type AssertionAlg, type TestDatabase } from '@joinedup/testing';
import { startApi, type RunningApi } from '../support/start-api.js';

describe('agency client: private_key_jwt -> access token -> API', () => {
  let db: TestDatabase;
  let api: RunningApi;
  beforeAll(async () => {
    db = await createTestDatabase();
    api = await startApi(db);
  });
  afterAll(async () => {
    await api.close();
    await db.drop();
  });

  it('publishes RFC 8414 metadata and the broker JWKS', async () => {
    const metadata = (await (await fetch(`${api.base}/.well-known/oauth-authorization-server`)).json()) as Record<
      string,
      unknown
    >;
    expect(metadata).toMatchObject({
      issuer: api.base,
      token_endpoint: `${api.base}/oauth/token`,
      token_endpoint_auth_methods_supported: ['private_key_jwt'],
      grant_types_supported: ['client_credentials'],
    });
    const jwks = (await (await fetch(`${api.base}/.well-known/jwks.json`)).json()) as {
      keys: Record<string, unknown>[];
    };
    expect(jwks.keys.length).toBeGreaterThan(0);
    for (const key of jwks.keys) expect(key).not.toHaveProperty('d');
  });

  it.each<AssertionAlg>(['ES256', 'RS256', 'PS256', 'EdDSA'])('works with a %s client key', async (alg) => {
    const client = await registerAgencyClient(api.base, api.adminToken, {
      agencyId: `agency-${alg.toLowerCase()}`,
      alg,
    });
    const token = await client.getToken();
    const put = await fetch(`${api.base}/v1/records/r-1`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ version: 1, name: { given: 'Ada', family: 'Lovelace' } }),
    });
    expect(put.status).toBe(200);
    expect(await put.json()).toMatchObject({ externalId: 'r-1', status: 'created', version: 1 });
  });

  it('keeps working across a broker key rotation, until the old key is retired', async () => {
    const client = await registerAgencyClient(api.base, api.adminToken, { agencyId: 'agency-rotation' });
    const before = await client.getToken();
    const rotated = await fetch(`${api.base}/v1/admin/keys/rotate`, {
      method: 'POST',
      headers: { authorization: `Bearer ${api.adminToken}` },
    });
    expect(rotated.status).toBe(200);
    const { kid, previous } = (await rotated.json()) as { kid: string; previous: string[] };
    const after = await client.getToken();
    const headerKid = (jwt: string) =>
      JSON.parse(Buffer.from(jwt.split('.')[0]!, 'base64url').toString()).kid as string;
    expect(headerKid(after)).toBe(kid);
    expect(previous).toContain(headerKid(before));
    const read = (token: string) => fetch(`${api.base}/v1/records`, { headers: { authorization: `Bearer ${token}` } });
    expect((await read(before)).status).toBe(200);
    expect((await read(after)).status).toBe(200);
    // The admin's own token was signed by the old key too: get a new one before retiring it.
    const { signIn, TEST_ADMIN } = await import('@joinedup/testing');
    const admin = await signIn(api.base, TEST_ADMIN.email, TEST_ADMIN.password);
    for (const old of previous) {
      const retired = await fetch(`${api.base}/v1/admin/keys/${old}/retire`, {
        method: 'POST',
        headers: { authorization: `Bearer ${admin}` },
      });
      expect(retired.status).toBe(204);
    }
    expect((await read(before)).status).toBe(401);
    expect((await read(after)).status).toBe(200);
    // The admin's list shows each key's status and never its material.
    const listed = await fetch(`${api.base}/v1/admin/keys`, { headers: { authorization: `Bearer ${admin}` } });
    const keys = (await listed.json()) as Record<string, unknown>[];
    expect(keys.find((k) => k.kid === kid)).toEqual({ kid, alg: expect.any(String), status: 'active' });
    for (const old of previous) expect(keys.find((k) => k.kid === old)?.status).toBe('retired');
    expect(JSON.stringify(keys)).not.toMatch(/"d"|privateJwk|publicJwk/);
    api.adminToken = admin;
  });
});

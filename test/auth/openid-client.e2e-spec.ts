import * as oidc from 'openid-client';
import { createTestDatabase, registerAgencyClient, type TestDatabase } from '@joinedup/testing';
import { startApi, type RunningApi } from '../support/start-api.js';

type ClientKey = Extract<Parameters<typeof oidc.PrivateKeyJwt>[0], { key: unknown }>['key'];

/** A standards-compliant OAuth client library, used as documented, with no special casing. */
describe('openid-client against the token endpoint', () => {
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

  it('discovers the server (RFC 8414), authenticates with private_key_jwt and gets a token that works', async () => {
    const client = await registerAgencyClient(api.base, api.adminToken, { agencyId: 'agency-oidc' });
    const config = await oidc.discovery(
      new URL(api.base),
      client.clientId,
      { token_endpoint_auth_method: 'private_key_jwt' },
      oidc.PrivateKeyJwt({ key: client.privateKey as ClientKey, kid: client.kid }),
      { algorithm: 'oauth2', execute: [oidc.allowInsecureRequests] }, // plain http on loopback in tests only
    );
    expect(config.serverMetadata().token_endpoint).toBe(`${api.base}/oauth/token`);
    const tokens = await oidc.clientCredentialsGrant(config, { scope: 'records:read' });
    expect(tokens.token_type.toLowerCase()).toBe('bearer');
    expect(tokens.scope).toBe('records:read');
    const response = await fetch(`${api.base}/v1/records`, {
      headers: { authorization: `Bearer ${tokens.access_token}` },
    });
    expect(response.status).toBe(200);
    const write = await fetch(`${api.base}/v1/records/r-1`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${tokens.access_token}` },
    });
    expect(write.status).toBe(403); // records:write was not asked for
  });
});

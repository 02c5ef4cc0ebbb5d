import { randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';

export type AssertionAlg = 'ES256' | 'RS256' | 'PS256' | 'EdDSA';

export interface TestClient {
  agencyId: string;
  clientId: string;
  kid: string;
  alg: AssertionAlg;
  privateKey: Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];
  /** A fresh client assertion for the token endpoint (override claims to build bad ones). */
  assertion(overrides?: Record<string, unknown>, header?: Record<string, unknown>): Promise<string>;
  /** The real private_key_jwt flow against /oauth/token. */
  getToken(scope?: string): Promise<string>;
}

async function call(base: string, path: string, init: RequestInit & { token?: string } = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  if (init.token) headers.set('authorization', `Bearer ${init.token}`);
  if (init.body && !headers.has('content-type')) headers.set('content-type', 'application/json');
  return fetch(`${base}${path}`, { ...init, headers });
}

export async function signIn(base: string, email: string, password: string): Promise<string> {
  const response = await call(base, '/v1/auth/sign-in', { method: 'POST', body: JSON.stringify({ email, password }) });
  if (response.status !== 200) throw new Error(`sign-in failed: ${response.status}`);
  return ((await response.json()) as { access_token: string }).access_token;
}

/** Registers the agency (if new) and a client with a fresh key pair, as an admin would. */
export async function registerAgencyClient(
  base: string,
  adminToken: string,
  options: { agencyId: string; sector?: string; scopes?: string[]; alg?: AssertionAlg; audience?: string },
): Promise<TestClient> {
  const alg = options.alg ?? 'ES256';
  const created = await call(base, '/v1/admin/agencies', {
    method: 'POST',
    token: adminToken,
    body: JSON.stringify({
      id: options.agencyId,
      name: `Agency ${options.agencyId}`,
      sector: options.sector ?? 'children-social-care',
    }),
  });
  if (created.status !== 201 && created.status !== 409)
    throw new Error(`agency registration failed: ${created.status}`);
  const { publicKey, privateKey } = await generateKeyPair(alg, { extractable: true });
  const kid = `k-${randomUUID()}`;
  const jwk = { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' };
  const response = await call(base, `/v1/admin/agencies/${options.agencyId}/clients`, {
    method: 'POST',
    token: adminToken,
    body: JSON.stringify({
      name: 'test system',
      scopes: options.scopes ?? ['records:read', 'records:write'],
      jwks: { keys: [jwk] },
    }),
  });
  if (response.status !== 201)
    throw new Error(`client registration failed: ${response.status} ${await response.text()}`);
  const { clientId } = (await response.json()) as { clientId: string };
  const audience = options.audience ?? `${base}/oauth/token`;

  /** Overrides are applied last, so a test can set any claim to a bad value. */
  const assertion = async (
    overrides: Record<string, unknown> = {},
    header: Record<string, unknown> = {},
  ): Promise<string> => {
    const now = Math.floor(Date.now() / 1000);
    const claims = {
      iss: clientId,
      sub: clientId,
      aud: audience,
      iat: now,
      exp: now + 60,
      jti: randomUUID(),
      ...overrides,
    };
    return new SignJWT(claims).setProtectedHeader({ alg, kid, ...header }).sign(privateKey);
  };

  const getToken = async (scope?: string): Promise<string> => {
    const form = new URLSearchParams({
      grant_type: 'client_credentials',
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: await assertion(),
      ...(scope ? { scope } : {}),
    });
    const token = await fetch(`${base}/oauth/token`, { method: 'POST', body: form });
    if (token.status !== 200) throw new Error(`token request failed: ${token.status} ${await token.text()}`);
    return ((await token.json()) as { access_token: string }).access_token;
  };

  return { agencyId: options.agencyId, clientId, kid, alg, privateKey, assertion, getToken };
}

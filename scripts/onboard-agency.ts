// npm run -s onboard -- --agency <slug> --name "<name>" --sector <sector> [--api http://127.0.0.1:3000]
//                       [--scopes records:read,records:write] [--keys-dir .artifacts/keys]
// Makes an ES256 key pair for the agency's system, registers the agency and its client with the
// admin API (BOOTSTRAP_ADMIN_EMAIL / BOOTSTRAP_ADMIN_PASSWORD from the environment or .env), and gets a
// first access token with private_key_jwt. The private key stays on this machine, in --keys-dir.
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';

if (existsSync('.env')) process.loadEnvFile('.env');
const { values } = parseArgs({
  options: {
    agency: { type: 'string' },
    name: { type: 'string' },
    sector: { type: 'string' },
    api: { type: 'string', default: process.env.PUBLIC_URL ?? 'http://127.0.0.1:3000' },
    scopes: { type: 'string', default: 'records:read,records:write' },
    'keys-dir': { type: 'string', default: '.artifacts/keys' },
  },
});
const admin = { email: process.env.BOOTSTRAP_ADMIN_EMAIL, password: process.env.BOOTSTRAP_ADMIN_PASSWORD };
if (!values.agency || !values.name || !values.sector || !admin.email || !admin.password) {
  console.error('usage: BOOTSTRAP_ADMIN_EMAIL=... BOOTSTRAP_ADMIN_PASSWORD=... npm run -s onboard -- --agency <slug> --name "<name>" --sector <sector>');
  process.exit(2);
}
const api = values.api!.replace(/\/$/, '');
const step = (message: string) => process.stderr.write(`onboard: ${message}\n`);
async function call(path: string, init: RequestInit & { token?: string }): Promise<Response> {
  const headers = new Headers(init.headers);
  if (init.token) headers.set('authorization', `Bearer ${init.token}`);
  if (init.body && !headers.has('content-type')) headers.set('content-type', 'application/json');
  return fetch(`${api}${path}`, { ...init, headers });
}

step(`signing in to ${api} as the platform admin`);
const signIn = await call('/v1/auth/sign-in', { method: 'POST', body: JSON.stringify(admin) });
if (!signIn.ok) throw new Error(`sign-in failed (${signIn.status})`);
const adminToken = ((await signIn.json()) as { access_token: string }).access_token;

step(`registering agency ${values.agency}`);
const agency = await call('/v1/admin/agencies', { method: 'POST', token: adminToken, body: JSON.stringify({ id: values.agency, name: values.name, sector: values.sector }) });
if (agency.status !== 201 && agency.status !== 409) throw new Error(`agency registration failed (${agency.status}): ${await agency.text()}`);

step('making an ES256 key pair');
const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
const kid = `${values.agency}-${new Date().toISOString().slice(0, 10)}-${randomUUID().slice(0, 8)}`;
const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' };
const client = await call(`/v1/admin/agencies/${values.agency}/clients`, {
  method: 'POST',
  token: adminToken,
  body: JSON.stringify({ name: `${values.name} system`, scopes: values.scopes!.split(','), jwks: { keys: [publicJwk] } }),
});
if (client.status !== 201) throw new Error(`client registration failed (${client.status}): ${await client.text()}`);
const { clientId } = (await client.json()) as { clientId: string };
mkdirSync(values['keys-dir']!, { recursive: true });
const keyFile = join(values['keys-dir']!, `${values.agency}.private.jwk.json`);
writeFileSync(keyFile, `${JSON.stringify({ ...(await exportJWK(privateKey)), kid, alg: 'ES256', clientId }, null, 2)}\n`, { mode: 0o600 });
step(`client ${clientId} registered; private key written to ${keyFile}`);

step('getting a first access token with private_key_jwt');
const now = Math.floor(Date.now() / 1000);
const assertion = await new SignJWT({ iss: clientId, sub: clientId, aud: `${api}/oauth/token`, iat: now, exp: now + 60, jti: randomUUID() })
  .setProtectedHeader({ alg: 'ES256', kid })
  .sign(privateKey);
const token = await fetch(`${api}/oauth/token`, {
  method: 'POST',
  body: new URLSearchParams({ grant_type: 'client_credentials', client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer', client_assertion: assertion }),
});
const body = (await token.json()) as Record<string, unknown>;
if (!token.ok) throw new Error(`token request failed (${token.status}): ${JSON.stringify(body)}`);
console.log(JSON.stringify({ agency: values.agency, clientId, kid, keyFile, access_token: body.access_token, expires_in: body.expires_in, scope: body.scope }));

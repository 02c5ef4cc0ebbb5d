// npx tsx scripts/demo.ts [--api http://127.0.0.1:3000] [--records 600] [--seed 1]
// Loads a small demo place into a running broker (npm start does this unless --no-demo): the nine
// Northmoor agencies with a system client each, an IG officer per agency, one active agreement for
// identity matching and case coordination (drafted, approved by every other party, activated), and
// synthetic-place records sent through the bulk API; caseworkers (every worker the records name) and a
// team manager and an admin per agency; a local webhook receiver that verifies and prints the signed
// notifications; then waits for linkage and coordinated cases and prints what it found, with sign-ins.
// Safe to run again: what exists is reused. Demo sign-ins go to .env (DEMO_PASSWORD).
import { randomBytes, randomUUID } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { verifyWebhook } from '@joinedup/coordination';
import { generatePlace, NORTHMOOR_AGENCIES } from '@joinedup/place';

if (existsSync('.env')) process.loadEnvFile('.env');
const { values } = parseArgs({
  options: {
    api: { type: 'string', default: process.env.PUBLIC_URL ?? `http://127.0.0.1:${process.env.PORT ?? 3000}` },
    records: { type: 'string', default: '600' },
    'webhook-port': { type: 'string', default: '3002' },
    seed: { type: 'string', default: '1' },
  },
});
const api = values.api!.replace(/\/$/, '');
const step = (message: string) => process.stderr.write(`demo: ${message}\n`);
type Json = Record<string, unknown>;

async function call(token: string | null, method: string, path: string, body?: unknown, type = 'application/json') {
  const response = await fetch(`${api}${path}`, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), 'content-type': type },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: (text && type === 'application/json' ? safeJson(text) : text) as Json };
}
const safeJson = (text: string) => {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
};
async function signIn(email: string, password: string): Promise<string> {
  const r = await call(null, 'POST', '/v1/auth/sign-in', { email, password });
  if (r.status !== 200 && r.status !== 201)
    throw new Error(
      `sign-in failed for the demo account ${email} (${r.status}): this database already holds a demo place made ` +
        'with another DEMO_PASSWORD. Put that DEMO_PASSWORD in .env, or point DATABASE_URL and DATABASE_OWNER_URL ' +
        'at a new database name (npm start creates it).',
    );
  return r.body.access_token as string;
}

let password = process.env.DEMO_PASSWORD;
if (!password) {
  password = `demo-${randomBytes(9).toString('base64url')}`;
  appendFileSync('.env', `DEMO_PASSWORD=${password}\n`);
}
// The broker names its own token endpoint (its public URL may differ from the address we call).
const metadata = (await (await fetch(`${api}/.well-known/oauth-authorization-server`)).json()) as {
  token_endpoint: string;
};
const admin = await signIn(process.env.BOOTSTRAP_ADMIN_EMAIL!, process.env.BOOTSTRAP_ADMIN_PASSWORD!);

step('agencies, system clients and IG officers');
const tokens = new Map<string, string>();
const ig = new Map<string, string>();
for (const agency of NORTHMOOR_AGENCIES) {
  const made = await call(admin, 'POST', '/v1/admin/agencies', {
    id: agency.id,
    name: agency.name,
    sector: agency.sector,
  });
  if (made.status !== 201 && made.status !== 409) throw new Error(`agency ${agency.id}: ${made.status}`);
  const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
  const kid = `${agency.id}-demo-${randomUUID().slice(0, 8)}`;
  const client = await call(admin, 'POST', `/v1/admin/agencies/${agency.id}/clients`, {
    name: `${agency.name} demo system`,
    scopes: ['records:read', 'records:write'],
    jwks: { keys: [{ ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' }] },
  });
  if (client.status !== 201) throw new Error(`client for ${agency.id}: ${client.status}`);
  const clientId = client.body.clientId as string;
  const now = Math.floor(Date.now() / 1000);
  const assertion = await new SignJWT({
    iss: clientId,
    sub: clientId,
    aud: metadata.token_endpoint,
    iat: now,
    exp: now + 60,
    jti: randomUUID(),
  })
    .setProtectedHeader({ alg: 'ES256', kid })
    .sign(privateKey);
  const token = await fetch(`${api}/oauth/token`, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: assertion,
    }),
  });
  const granted = (await token.json()) as Json;
  if (!token.ok) throw new Error(`token for ${agency.id}: ${token.status} ${String(granted.error_description ?? '')}`);
  tokens.set(agency.id, granted.access_token as string);
  const email = `ig@${agency.id}.demo`;
  const person = await call(admin, 'POST', `/v1/admin/agencies/${agency.id}/people`, {
    staffRef: `ig-${agency.id}`,
    email,
    displayName: `IG officer, ${agency.name}`,
    roles: ['ig-officer'],
    password,
  });
  if (person.status !== 201 && person.status !== 409) throw new Error(`IG officer for ${agency.id}: ${person.status}`);
  ig.set(agency.id, await signIn(email, password));
}

const agencies = NORTHMOOR_AGENCIES.map((a) => a.id);
const lead = agencies[0]!;
const existing = await call(ig.get(lead)!, 'GET', '/v1/governance/agreements?status=active');
if (((existing.body.items as Json[] | undefined) ?? []).some((a) => a.title === 'Northmoor early help (demo)')) {
  step('the demo agreement is already active');
} else {
  step('one agreement for identity matching and case coordination: drafted, approved by every party, activated');
  const day = 86_400_000;
  const draft = await call(ig.get(lead)!, 'POST', '/v1/governance/agreements', {
    title: 'Northmoor early help (demo)',
    parties: agencies,
    purposes: ['identity-matching', 'case-coordination'],
    flows: agencies.flatMap((from) =>
      agencies
        .filter((to) => to !== from)
        .map((to) => ({ from, to, categories: ['identity', 'address', 'household', 'involvement'] })),
    ),
    lawfulBasis: { article6: 'public-task', gateway: 'Children Act 2004 s10; Care Act 2014 s6' },
    consentRule: 'not-required',
    validFrom: new Date(Date.now() - day).toISOString(),
    validTo: new Date(Date.now() + 365 * day).toISOString(),
    reviewDate: new Date(Date.now() + 180 * day).toISOString(),
    dpiaReference: 'DPIA-DEMO-001',
  });
  if (draft.status !== 201) throw new Error(`agreement draft: ${draft.status} ${JSON.stringify(draft.body)}`);
  const id = draft.body.id as string;
  await call(ig.get(lead)!, 'POST', `/v1/governance/agreements/${id}/submit`);
  for (const agency of agencies.slice(1))
    await call(ig.get(agency)!, 'POST', `/v1/governance/agreements/${id}/approve`);
  const active = await call(ig.get(lead)!, 'POST', `/v1/governance/agreements/${id}/activate`);
  if (active.body.status !== 'active') throw new Error(`agreement not active: ${JSON.stringify(active.body)}`);
}

const place = [...generatePlace({ seed: Number(values.seed), records: Number(values.records) })];

// Workers before records: coordination finds each involvement's worker in the registry when a case opens.
step('caseworkers named in the records, a team manager and an agency admin per agency');
const people = new Map<string, { email: string; agency: string }>();
const addPerson = async (agency: string, staffRef: string, roles: string[], displayName: string) => {
  const email = `${staffRef}@${agency}.demo`;
  const made = await call(admin, 'POST', `/v1/admin/agencies/${agency}/people`, {
    staffRef,
    email,
    displayName,
    roles,
    password,
    team: 'north',
    leadCapacity: 12,
  });
  if (made.status !== 201 && made.status !== 409) throw new Error(`person ${staffRef}: ${made.status}`);
  if (made.status === 201) people.set(made.body.id as string, { email, agency });
};
const workerRefs = new Set(
  place.flatMap(({ record }) => (record.involvement?.worker ? [`${record.agency}|${record.involvement.worker}`] : [])),
);
for (const key of workerRefs) {
  const [agency, ref] = key.split('|') as [string, string];
  await addPerson(agency, ref, ['caseworker'], `Caseworker ${ref.split('-').at(-1)!}`);
}
for (const agency of NORTHMOOR_AGENCIES) {
  await addPerson(agency.id, `manager-${agency.id}`, ['team-manager'], `Team manager, ${agency.name}`);
  await addPerson(agency.id, `admin-${agency.id}`, ['agency-admin'], `Admin, ${agency.name}`);
}

// A local receiver stands in for each agency's case management system: it verifies every signature.
const secrets = new Map<string, string>();
const received = { total: 0, verified: 0, byType: new Map<string, number>() };
const offers: { workerId: string; agency: string }[] = [];
const receiver = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const body = Buffer.concat(chunks).toString('utf8');
    const agency = decodeURIComponent(req.url!.split('/').at(-1)!);
    const check = verifyWebhook({
      headers: req.headers,
      body,
      secret: secrets.get(agency) ?? '',
      nowSeconds: Math.floor(Date.now() / 1000),
    });
    received.total += 1;
    if (check.ok) received.verified += 1;
    const event = JSON.parse(body) as { type: string; data: { caseId?: string; recipient?: { workerId?: string } } };
    received.byType.set(event.type, (received.byType.get(event.type) ?? 0) + 1);
    if (event.type === 'offer.made' && event.data.recipient?.workerId)
      offers.push({ workerId: event.data.recipient.workerId, agency });
    if (received.total <= 12)
      process.stderr.write(
        `webhook: ${check.ok ? 'signature verified' : `REJECTED (${check.reason})`}  ${event.type.padEnd(13)} -> ${agency}  case ${event.data.caseId?.slice(0, 8) ?? '-'}\n`,
      );
    res.writeHead(check.ok ? 204 : 400).end();
  });
});
await new Promise<void>((r) => receiver.listen(Number(values['webhook-port']), '127.0.0.1', r));
const hookBase = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
step(`a webhook receiver at ${hookBase}/<agency> verifies and prints what the broker sends`);
for (const agency of NORTHMOOR_AGENCIES) {
  const existingHooks = await call(admin, 'GET', `/v1/admin/agencies/${agency.id}/webhooks`);
  for (const hook of (existingHooks.body as unknown as { id: string }[]) ?? [])
    await call(admin, 'DELETE', `/v1/admin/agencies/${agency.id}/webhooks/${hook.id}`);
  const hook = await call(admin, 'POST', `/v1/admin/agencies/${agency.id}/webhooks`, {
    url: `${hookBase}/${encodeURIComponent(agency.id)}`,
    eventTypes: ['case.opened', 'case.updated', 'case.closed', 'offer.made', 'lead.assigned'],
  });
  if (hook.status !== 201) throw new Error(`webhook for ${agency.id}: ${hook.status}`);
  secrets.set(agency.id, hook.body.secret as string);
}

step(`sending ${values.records} synthetic-place records through the bulk API`);
const byAgency = new Map<string, string[]>();
for (const { record } of place) {
  const lines = byAgency.get(record.agency) ?? [];
  lines.push(JSON.stringify(record));
  byAgency.set(record.agency, lines);
}
for (const [agency, lines] of byAgency) {
  const sent = await call(
    tokens.get(agency)!,
    'POST',
    '/v1/records:bulk',
    `${lines.join('\n')}\n`,
    'application/x-ndjson',
  );
  if (sent.status >= 300) throw new Error(`bulk intake for ${agency}: ${sent.status}`);
}

step('waiting for linkage');
const exportLines = async () =>
  (await call(ig.get(lead)!, 'GET', '/v1/admin/linkage/export', undefined, 'text/plain')).body as unknown as string;
let lines: { agency: string; personId: string | null; familyId: string | null }[] = [];
for (let i = 0; i < 120; i += 1) {
  lines = String(await exportLines())
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as (typeof lines)[number]);
  if (lines.length >= Number(values.records) * 0.95 && lines.every((l) => l.familyId)) break;
  await new Promise((r) => setTimeout(r, 500));
}
const agenciesOf = new Map<string, Set<string>>();
for (const l of lines)
  if (l.familyId) (agenciesOf.get(l.familyId) ?? agenciesOf.set(l.familyId, new Set()).get(l.familyId)!).add(l.agency);
const persons = new Set(lines.map((l) => l.personId)).size;
const shared = [...agenciesOf.values()].filter((set) => set.size >= 2).length;

step('waiting for coordinated cases and lead offers');
const leadManager = await signIn(`manager-${lead}@${lead}.demo`, password);
let cases = 0;
for (let i = 0; i < 60; i += 1) {
  const listed = await call(ig.get(lead)!, 'GET', '/v1/cases');
  cases = ((listed.body.items as unknown[] | undefined) ?? []).length;
  if (cases > 0 && offers.length > 0) break;
  await new Promise((r) => setTimeout(r, 500));
}
void leadManager;
const offered = offers.find((o) => people.has(o.workerId)) ?? offers[0];
const caseworker = offered ? (people.get(offered.workerId)?.email ?? null) : null;
const summary = {
  records: lines.length,
  persons,
  families: agenciesOf.size,
  familiesKnownToSeveralAgencies: shared,
  casesVisibleTo: { agency: lead, cases },
  webhooks: { received: received.total, verified: received.verified, byType: Object.fromEntries(received.byType) },
  console: `${api}/console`,
  signIns: {
    igOfficer: `ig@${lead}.demo`,
    caseworkerWithAnOffer: caseworker,
    agencyAdmin: `admin-${lead}@${lead}.demo`,
    platformAdmin: `${process.env.BOOTSTRAP_ADMIN_EMAIL ?? ''} (password BOOTSTRAP_ADMIN_PASSWORD in .env)`,
    password: 'DEMO_PASSWORD in .env',
  },
  agencyToken: 'npm run -s onboard -- --agency northmoor-demo-system --name "Demo system" --sector voluntary',
};
mkdirSync('.artifacts', { recursive: true });
writeFileSync('.artifacts/demo.json', `${JSON.stringify(summary)}\n`);
process.stderr.write(
  [
    '',
    `  Demo place loaded: ${summary.records} records, ${persons} persons, ${summary.families} families (${shared} known to several agencies).`,
    `  Coordinated cases visible to ${lead}: ${cases}; webhooks received ${received.total} (${received.verified} signatures verified).`,
    `  Console        ${api}/console`,
    `    IG officer   ig@${lead}.demo`,
    `    caseworker   ${caseworker ?? '(no offer yet: see the inbox of any caseworker)'}`,
    `    agency admin admin-${lead}@${lead}.demo`,
    `    passwords    DEMO_PASSWORD in .env (platform admin: BOOTSTRAP_ADMIN_* in .env)`,
    `  Agency token   ${summary.agencyToken}`,
    `  Summary        .artifacts/demo.json`,
    '',
  ].join('\n') + '\n',
);
// The receiver keeps running (npm start stops it with the broker): new notifications are counted.
setInterval(() => {
  if (received.total > 12) step(`webhooks so far: ${received.total} received, ${received.verified} verified`);
}, 60_000).unref();
await new Promise(() => undefined);

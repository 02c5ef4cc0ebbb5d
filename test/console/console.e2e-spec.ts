import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { AxeBuilder } from '@axe-core/playwright';
import { exportJWK, generateKeyPair } from 'jose';
import type { INestApplication } from '@nestjs/common';
import pg from 'pg';
import { type Browser, chromium, type Page } from 'playwright-core';
import { createWorker } from '../../apps/worker/src/bootstrap.js';
import { createTestDatabase, registerAgencyClient, TEST_ADMIN, testConfig, type TestDatabase } from '@joinedup/testing';
import { jsonClient, staffMember } from '../support/http.js';
import { startApi, type RunningApi } from '../support/start-api.js';

const CSC = 'northmoor-csc';
const POLICE = 'northmoor-police';
const SHOTS = '.artifacts/screenshots';
const DAY = 86_400_000;
const date = (offsetDays: number) => new Date(Date.now() + offsetDays * DAY).toISOString().slice(0, 10);
/** A fresh public key set as an agency system would paste it. */
async function publicJwks(kid: string): Promise<string> {
  const { publicKey } = await generateKeyPair('ES256', { extractable: true });
  return JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' }] });
}
const login = (name: string, agency: string) => ({ email: `${name}@${agency}.test`, password: `password-${name}-123` });

/**
 * The console in a real browser (Debian's Chromium through playwright-core) against a running broker:
 * an IG officer drafts, simulates, has approved and activates an agreement; a caseworker accepts the
 * lead offer and sees the case; an IG officer withdraws consent and the case page loses the shared
 * facts. Every page visited passes an axe check, and the main pages are saved as screenshots.
 */
describe('the console in a browser', () => {
  let db: TestDatabase;
  let api: RunningApi;
  let worker: INestApplication;
  let owner: pg.Client;
  let browser: Browser;
  const prefix = `test:${randomBytes(6).toString('hex')}`;
  const call = (token: string, method: string, path: string, body?: unknown) =>
    jsonClient(api.base)(token, method, path, body);
  const checked: string[] = [];

  /** Axe on the page as it stands (WCAG 2.x A and AA rules), then a screenshot if asked. */
  async function audit(page: Page, shot?: string): Promise<void> {
    const result = await new AxeBuilder({ page })
      .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'])
      .analyze();
    expect(result.violations.map((v) => `${page.url()}: ${v.id} ${v.help}`)).toEqual([]);
    checked.push(new URL(page.url()).pathname);
    if (shot) await page.screenshot({ path: `${SHOTS}/${shot}.png`, fullPage: true });
  }

  async function signIn(who: { email: string; password: string }): Promise<Page> {
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${api.base}/console`);
    await audit(page, 'sign-in');
    await page.getByLabel('Email address').fill(who.email);
    await page.getByLabel('Password').fill(who.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${api.base}/console`);
    await audit(page);
    return page;
  }

  async function until(what: string, ok: () => Promise<boolean>, ms = 20_000): Promise<void> {
    const deadline = Date.now() + ms;
    while (!(await ok())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    const executablePath = execFileSync('bash', ['scripts/chromium.sh'], { encoding: 'utf8' }).trim();
    browser = await chromium.launch({ executablePath, args: ['--no-sandbox'] });
    db = await createTestDatabase();
    owner = new pg.Client({ connectionString: db.ownerUrl });
    await owner.connect();
    api = await startApi(db, { REDIS_PREFIX: prefix });
    worker = await createWorker(testConfig(db, { REDIS_PREFIX: prefix }));
    await worker.init();
    const csc = await (
      await registerAgencyClient(api.base, api.adminToken, { agencyId: CSC, sector: 'children-social-care' })
    ).getToken();
    const police = await (
      await registerAgencyClient(api.base, api.adminToken, { agencyId: POLICE, sector: 'police' })
    ).getToken();
    const igCsc = await staffMember(api.base, api.adminToken, CSC, 'ig-csc', ['ig-officer']);
    await staffMember(api.base, api.adminToken, POLICE, 'ig-police', ['ig-officer']);
    await staffMember(api.base, api.adminToken, CSC, 'csc-ann', ['caseworker']);
    await staffMember(api.base, api.adminToken, POLICE, 'pc-pat', ['caseworker']);
    const child = (externalId: string, given: string, worker: string, needs: string[]) => ({
      externalId,
      version: 1,
      name: { given, family: 'Okafor' },
      birthDate: '2014-03-09',
      identifiers: [{ system: 'nhs-number', value: '9434765919' }],
      involvement: { status: 'open', worker, team: 'north' },
      needs,
    });
    expect(
      (await call(csc, 'PUT', '/v1/records/c-1', child('c-1', 'Amelia', 'csc-ann', ['child-protection']))).status,
    ).toBe(200);
    expect((await call(police, 'PUT', '/v1/records/p-1', child('p-1', 'Amelie', 'pc-pat', ['crime']))).status).toBe(
      200,
    );
    for (const purpose of ['identity-matching', 'case-coordination'])
      expect(
        (
          await call(igCsc, 'POST', '/v1/governance/consents', {
            subjectIds: [`${CSC}/c-1`, `${POLICE}/p-1`],
            purpose,
            state: 'given',
            evidenceRef: 'signed-form-2026-11',
          })
        ).status,
      ).toBe(201);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await worker?.close();
    await api?.close();
    await owner?.end();
    await db?.drop();
  });

  it('an IG officer drafts and simulates an agreement; the other party approves; it is activated', async () => {
    const ig = await signIn(login('ig-csc', CSC));
    await ig.getByRole('link', { name: 'Agreements' }).first().click();
    await audit(ig);
    await ig.getByRole('button', { name: 'Draft an agreement' }).click();
    await audit(ig, 'agreement-draft');
    await ig.getByLabel('Title').fill('Early help: children known to the police');
    await ig.getByLabel('Parties').fill(`${CSC}\n${POLICE}`);
    await ig.getByLabel('identity-matching').check();
    await ig.getByLabel('case-coordination').check();
    await ig
      .getByLabel('Flows')
      .fill(`${CSC} > ${POLICE}: identity, involvement\n${POLICE} > ${CSC}: identity, involvement, needs`);
    await ig.getByLabel('public-task').check();
    await ig.getByLabel('Legal gateway').fill('Children Act 2004 s10');
    await ig.getByLabel('explicit-consent').check();
    await ig.getByLabel('In force from').fill(date(-1));
    await ig.getByLabel('In force until').fill(date(365));
    await ig.getByLabel('Review by').fill(date(180));
    await ig.getByLabel('DPIA reference').fill('DPIA-2026-061');
    await ig.getByRole('button', { name: 'Save draft' }).click();
    await ig.waitForURL(/\/console\/agreements\/[^/]+\?simulate=1$/);
    // The simulation says, in counts only, what would start to flow.
    await expect(ig.getByRole('heading', { name: 'What would flow' })).toBeTruthy();
    const simulated = await ig.locator('main').innerText();
    expect(simulated).toMatch(/Would start/);
    expect(simulated).not.toMatch(/Amelia|Okafor|9434765919/);
    await audit(ig, 'agreement-simulation');
    // Edit the draft: every field comes back filled in; a change makes a new draft version.
    await ig.getByRole('button', { name: 'Edit' }).click();
    expect(await ig.getByLabel('Title').inputValue()).toBe('Early help: children known to the police');
    await audit(ig);
    await ig.getByLabel('DPIA reference').fill('DPIA-2026-062');
    await ig.getByRole('button', { name: 'Save draft' }).click();
    await ig.waitForURL(/simulate=1&done=/);
    expect(await ig.locator('main').innerText()).toMatch(/DPIA\s+DPIA-2026-062/);
    await ig.getByRole('button', { name: 'Submit for approval' }).click();
    await ig.waitForURL(/done=submitted/);
    const agreementUrl = ig.url().split('?')[0]!;

    const police = await signIn(login('ig-police', POLICE));
    await police.goto(agreementUrl);
    await audit(police);
    await police.getByRole('button', { name: 'Approve' }).click();
    await police.waitForURL(/done=approved/);
    await ig.goto(agreementUrl);
    await ig.getByRole('button', { name: 'Activate' }).click();
    await ig.waitForURL(/done=activated/);
    expect(await ig.locator('main').innerText()).toMatch(/Status\s+active/);
    await audit(ig, 'agreement-active');
    // Two versions side by side: what the activation changed.
    await ig.getByRole('link', { name: 'See the last two versions side by side' }).click();
    expect(await ig.locator('main').innerText()).toMatch(/status\s+awaiting-approval\s+active/);
    await audit(ig, 'agreement-diff');
    await ig.close();
    await police.close();

    // A platform admin adds an agency, registers its system client, replaces its keys, removes it.
    const admin = await signIn(TEST_ADMIN);
    await admin.goto(`${api.base}/console/admin/agencies`);
    await admin.getByLabel('Agency name').fill('Northmoor Housing');
    await admin.getByLabel('Agency id').fill('northmoor-housing');
    await admin.getByLabel('housing').check();
    await admin.getByRole('button', { name: 'Add the agency' }).click();
    await admin.waitForURL(/done=Agency/);
    expect(await admin.locator('main').innerText()).toMatch(/Northmoor Housing\s+northmoor-housing\s+housing/);
    await audit(admin, 'agencies');
    await admin.getByRole('link', { name: /of Northmoor Housing/ }).click();
    await admin.getByLabel('Client name').fill('Housing management system');
    await admin.getByLabel('records:write').check();
    await admin.getByLabel('Public keys (JSON Web Key Set)').fill(await publicJwks('housing-key-1'));
    await admin.getByRole('button', { name: 'Register the client' }).click();
    expect(await admin.locator('main').innerText()).toMatch(/as client northmoor-housing\.[0-9a-f-]{36}/);
    await admin.getByRole('link', { name: 'Back' }).click();
    expect(await admin.locator('main').innerText()).toMatch(
      /Housing management system[\s\S]*records:write\s+housing-key-1/,
    );
    await audit(admin, 'agency-clients');
    await admin.getByRole('link', { name: /Replace keys/ }).click();
    await audit(admin);
    await admin.getByLabel('Public keys (JSON Web Key Set)').fill('{"keys": [');
    await admin.getByRole('button', { name: 'Replace the keys' }).click();
    expect(await admin.locator('main').innerText()).toMatch(/jwks: is not JSON/);
    await admin.goBack();
    await admin.getByLabel('Public keys (JSON Web Key Set)').fill(await publicJwks('housing-key-2'));
    await admin.getByRole('button', { name: 'Replace the keys' }).click();
    await admin.waitForURL(/done=Keys/);
    expect(await admin.locator('main').innerText()).toMatch(/records:write\s+housing-key-2/);
    await admin.getByRole('button', { name: /Remove/ }).click();
    await admin.waitForURL(/done=Client/);
    expect(await admin.locator('main').innerText()).not.toMatch(/Housing management system/);
    // The broker's own keys: rotate, and the old one is listed as verifying only.
    await admin.getByRole('link', { name: 'Broker keys' }).first().click();
    await admin.getByRole('button', { name: 'Rotate the signing key' }).click();
    await admin.waitForURL(/done=/);
    expect(await admin.locator('main').innerText()).toMatch(/verify-only[\s\S]*active/);
    await audit(admin, 'broker-keys');

    // The registry of an agency with people and webhooks, and the dead letters.
    await admin.goto(`${api.base}/console/admin/agencies/${CSC}`);
    expect(await admin.locator('main').innerText()).toMatch(/System clients and keys[\s\S]*People/);
    await audit(admin, 'agency');
    await admin.getByLabel('Name', { exact: true }).fill('Sam Stone');
    await admin.getByLabel('Email address').fill('sam.stone@northmoor-csc.test');
    await admin.getByLabel('Staff reference').fill('csc-sam');
    await admin.getByLabel('caseworker').check();
    await admin.getByLabel('First password').fill('a-long-first-password');
    await admin.getByRole('button', { name: 'Add the person' }).click();
    await admin.waitForURL(/done=Person/);
    expect(await admin.locator('main').innerText()).toMatch(/Sam Stone\s+sam\.stone@northmoor-csc\.test\s+caseworker/);
    await admin.getByLabel('URL').fill('https://cms.northmoor-csc.example/hooks');
    await admin.getByRole('button', { name: 'Add the endpoint' }).click();
    expect(await admin.locator('main').innerText()).toMatch(/signing secret now; it is not shown again: whsec_/);
    await audit(admin);
    await admin.getByRole('link', { name: 'Dead letters' }).first().click();
    await audit(admin);
    await admin.close();
  }, 120_000);

  it('a caseworker finds the offer in the inbox, accepts it, and sees the case with why each fact is shown', async () => {
    await until(
      'an offer',
      async () => (await owner.query(`SELECT 1 FROM lead_offer WHERE status = 'pending'`)).rowCount === 1,
    );
    const ann = await signIn(login('csc-ann', CSC));
    await ann.getByRole('link', { name: 'Inbox' }).first().click();
    await until('the offer in the inbox', async () => {
      await ann.reload();
      return (await ann.getByRole('button', { name: 'Accept the lead' }).count()) === 1;
    });
    await audit(ann, 'inbox');
    await ann.getByRole('button', { name: 'Accept the lead' }).click();
    await ann.waitForURL(/\/console\/cases\/.+\?accepted=1/);
    const text = await ann.locator('main').innerText();
    expect(text).toMatch(/You are the lead worker for this case/);
    expect(text).toMatch(/Amelie/); // the police's record of the child, shared under the agreement
    expect(text).toMatch(/shared under agreement .+ v\d+ for case coordination/);
    await audit(ann, 'case');
    await ann.close();
  }, 60_000);

  it('an IG officer withdraws consent and the caseworker’s case page loses the shared facts', async () => {
    const ig = await signIn(login('ig-csc', CSC));
    await ig.getByRole('link', { name: 'Consent' }).first().click();
    await ig.getByLabel('Subject reference', { exact: true }).fill(`${CSC}/c-1`);
    await ig.getByRole('button', { name: 'Find' }).click();
    await audit(ig, 'consent');
    await ig.getByRole('button', { name: 'Withdraw case-coordination consent' }).click();
    await ig.waitForURL(/done=withdrawn/);
    await audit(ig);
    await ig.getByRole('link', { name: 'Review queue' }).first().click();
    expect(await ig.getByRole('heading', { name: 'Review queue' }).count()).toBe(1);
    await audit(ig);
    // The withdrawal is in the audit trail, and the chain verifies.
    await ig.getByRole('link', { name: 'Audit' }).first().click();
    await ig.getByLabel('Event type').fill('governance.consent-recorded');
    await ig.getByRole('button', { name: 'Search' }).click();
    expect(await ig.locator('main').innerText()).toMatch(/governance\.consent-recorded/);
    await ig.getByRole('link', { name: 'Verify the whole chain' }).click();
    expect(await ig.locator('main').innerText()).toMatch(/intact: \d+ events checked/);
    await audit(ig, 'audit');
    await ig.getByRole('link', { name: 'Subject access' }).first().click();
    await ig.getByLabel('Record reference').fill(`${CSC}/c-1`);
    await ig.getByRole('button', { name: 'Prepare the export' }).click();
    expect(await ig.locator('main').innerText()).toMatch(/case-coordination\s+withdrawn/);
    await audit(ig);
    await ig.close();

    const ann = await signIn(login('csc-ann', CSC));
    const [kase] = (await owner.query<{ id: string }>(`SELECT id FROM coordinated_case`)).rows;
    await until('the shared facts gone', async () => {
      await ann.goto(`${api.base}/console/cases/${kase!.id}`);
      return !/Amelie/.test(await ann.locator('main').innerText());
    });
    expect(await ann.locator('main').innerText()).not.toMatch(/shared under agreement/);
    await audit(ann, 'case-after-withdrawal');
    await ann.close();
    expect(new Set(checked).size).toBeGreaterThanOrEqual(12);
  }, 60_000);
});

import type { DataSource } from 'typeorm';
import type { Agreement, DecisionRequest } from '@joinedup/governance';
import {
  AgreementRegisterRepository,
  ConsentRegisterRepository,
  createDataSource,
  withSystemScope,
} from '@joinedup/persistence';
import { createTestDatabase, testConfig, type TestDatabase } from '@joinedup/testing';
import { appendAgreementVersion } from './agreement-change.js';
import { AgreementExpiry } from './agreement-expiry.js';
import { LiveGovernance } from './live-governance.js';

const CSC = 'leeds-csc';
const POLICE = 'leeds-police';
const DAY = 86_400_000;
const SYSTEM = { kind: 'system' as const, id: 'test' };

function agreement(overrides: Partial<Agreement> = {}): Agreement {
  const now = Date.now();
  return {
    id: 'dsa-1',
    version: 1,
    title: 'Early help',
    parties: [CSC, POLICE],
    purposes: ['case-coordination'],
    flows: [{ from: POLICE, to: CSC, categories: ['identity'] }],
    lawfulBasis: { article6: 'public-task', gateway: 'Children Act 2004 s10' },
    consentRule: 'explicit-consent',
    validFrom: new Date(now - DAY),
    validTo: new Date(now + 365 * DAY),
    reviewDate: new Date(now + 180 * DAY),
    dpiaReference: 'DPIA-1',
    status: 'active',
    approvals: [{ agency: POLICE, by: 'ig-police', at: new Date(now - DAY) }],
    author: { person: 'ig-csc', agency: CSC },
    change: { by: 'ig-csc', at: new Date(now - DAY), description: 'activated' },
    ...overrides,
  };
}

const request = (): DecisionRequest => ({
  purpose: 'case-coordination',
  fromAgency: POLICE,
  toAgency: CSC,
  subject: ['leeds-police/p-1'],
  categories: ['identity'],
  at: new Date(),
});

async function eventually(check: () => boolean, withinMs: number): Promise<number> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > withinMs) throw new Error(`not within ${withinMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return Date.now() - start;
}

describe('LiveGovernance across processes', () => {
  let db: TestDatabase;
  let sources: DataSource[];
  let here: LiveGovernance;
  let elsewhere: LiveGovernance;

  beforeAll(async () => {
    db = await createTestDatabase();
    const config = testConfig(db);
    sources = [createDataSource(db.appUrl), createDataSource(db.appUrl)];
    await Promise.all(sources.map((s) => s.initialize()));
    here = new LiveGovernance(config, sources[0]!);
    elsewhere = new LiveGovernance(config, sources[1]!);
    await here.onApplicationBootstrap();
    await elsewhere.onApplicationBootstrap();
  });

  afterAll(async () => {
    await here.onApplicationShutdown();
    await elsewhere.onApplicationShutdown();
    await Promise.all(sources.map((s) => s.destroy()));
    await db.drop();
  });

  it('sees another process’s agreement and consent withdrawal within a second or two', async () => {
    const register = new AgreementRegisterRepository(sources[0]!);
    const consents = new ConsentRegisterRepository(sources[0]!);
    await withSystemScope(sources[0]!, (m) => appendAgreementVersion(m, register, agreement(), SYSTEM));
    await eventually(() => elsewhere.engine.agreement('dsa-1') !== undefined, 2000);
    expect(elsewhere.engine.decide(request()).decision).toBe('deny'); // consent required, none yet

    const base = {
      subjectIds: ['leeds-police/p-1'],
      purpose: 'case-coordination',
      scope: null,
      recordedBy: 'ig-csc',
      evidenceRef: 'form-1',
      expiresAt: null,
      agencyId: CSC,
      supersedes: null,
    };
    const given = await withSystemScope(sources[0]!, (m) =>
      consents.append(m, { ...base, state: 'given', at: new Date(Date.now() - 60_000) }),
    );
    await eventually(() => elsewhere.engine.decide(request()).decision === 'allow', 2000);

    await withSystemScope(sources[0]!, (m) =>
      consents.append(m, { ...base, state: 'withdrawn', at: new Date(), supersedes: given.id }),
    );
    const took = await eventually(() => elsewhere.engine.decide(request()).decision === 'deny', 5000);
    expect(took).toBeLessThan(2000);
  });

  it('expires due agreements once, and every process stops allowing them', async () => {
    const register = new AgreementRegisterRepository(sources[0]!);
    const ended = agreement({
      id: 'dsa-ended',
      validFrom: new Date(Date.now() - 10 * DAY),
      validTo: new Date(Date.now() - 1000),
      reviewDate: new Date(Date.now() - 2 * DAY),
    });
    await withSystemScope(sources[0]!, (m) => appendAgreementVersion(m, register, ended, SYSTEM));
    const expiry = new AgreementExpiry(sources[0]!, here);
    expect(await expiry.expireDue(new Date())).toEqual(['dsa-ended']);
    expect(await expiry.expireDue(new Date())).toEqual([]);
    await eventually(() => elsewhere.engine.agreement('dsa-ended')?.status === 'expired', 2000);
    const versions = await withSystemScope(sources[0]!, (m) =>
      m.query(`SELECT version, status FROM agreement_version WHERE id = 'dsa-ended' ORDER BY version`),
    );
    expect(versions).toEqual([
      { version: 1, status: 'active' },
      { version: 2, status: 'expired' },
    ]);
  });
});

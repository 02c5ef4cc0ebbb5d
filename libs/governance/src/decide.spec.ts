import type { DataCategory } from '@joinedup/core';
import type { Agreement } from './agreement.js';
import { CSC, HEALTH, POLICE, anAgreement, at } from './agreement.fixture.js';
import type { ConsentRecord } from './consent.js';
import { GovernanceEngine, type DecisionRequest } from './governance-engine.js';

const consent = (
  id: string,
  state: ConsentRecord['state'],
  when: string,
  extra: Partial<ConsentRecord> = {},
): ConsentRecord => ({
  id,
  subject: 'person-1',
  purpose: 'case-coordination',
  state,
  scope: 'all',
  recordedBy: 'worker-1',
  evidenceRef: `form-${id}`,
  at: at(when),
  ...extra,
});

const needsConsent = anAgreement({ consentRule: 'explicit-consent' });
const override = (justification: string, until: string): Agreement =>
  anAgreement({ consentRule: 'safeguarding-override', override: { justification, expiresAt: at(until) } });
const withHealth = (basis: Partial<Agreement['lawfulBasis']>): Agreement =>
  anAgreement({
    flows: [{ from: HEALTH, to: CSC, categories: ['identity', 'health'] }],
    parties: [CSC, HEALTH],
    lawfulBasis: { article6: 'public-task', gateway: 'Children Act 2004 s10', ...basis },
  });

interface Scenario {
  agreements: Agreement[];
  consents?: ConsentRecord[];
  request?: Partial<DecisionRequest>;
  decision: 'allow' | 'deny';
  categories?: DataCategory[];
  reason: RegExp;
  consentRef?: string | null;
}

const base: DecisionRequest = {
  purpose: 'case-coordination',
  fromAgency: POLICE,
  toAgency: CSC,
  subject: 'person-1',
  categories: ['identity', 'address'],
  at: at('2025-06-01'),
};

const scenarios: [string, Scenario][] = [
  ['no agreement at all', { agreements: [], decision: 'deny', reason: /No agreement lets leeds-police share/ }],
  [
    'an agreement for other purposes only',
    {
      agreements: [anAgreement({ purposes: ['identity-matching'] })],
      decision: 'deny',
      reason: /other purposes: identity-matching/,
    },
  ],
  [
    'an active agreement',
    {
      agreements: [anAgreement()],
      decision: 'allow',
      categories: ['identity', 'address'],
      reason: /dsa-early-help v4 .* lets leeds-police share identity, address/,
    },
  ],
  [
    'an agreement marked expired',
    { agreements: [anAgreement({ status: 'expired' })], decision: 'deny', reason: /is expired, not active/ },
  ],
  [
    'an active agreement past its validTo',
    {
      agreements: [anAgreement()],
      request: { at: at('2026-02-01') },
      decision: 'deny',
      reason: /expired on 2026-01-01/,
    },
  ],
  [
    'an agreement not yet started',
    {
      agreements: [anAgreement()],
      request: { at: at('2024-12-01') },
      decision: 'deny',
      reason: /does not start until 2025-01-01/,
    },
  ],
  [
    'a suspended agreement',
    { agreements: [anAgreement({ status: 'suspended' })], decision: 'deny', reason: /is suspended/ },
  ],
  [
    'a draft agreement',
    { agreements: [anAgreement({ status: 'draft' })], decision: 'deny', reason: /is draft, not active/ },
  ],
  [
    'an agreement awaiting approval',
    { agreements: [anAgreement({ status: 'awaiting-approval' })], decision: 'deny', reason: /is awaiting-approval/ },
  ],
  ['a retired agreement', { agreements: [anAgreement({ status: 'retired' })], decision: 'deny', reason: /is retired/ }],
  [
    'a category the agreement does not name',
    {
      agreements: [anAgreement()],
      request: { categories: ['needs'] },
      decision: 'deny',
      reason: /needs withheld: .* does not share it from leeds-police to leeds-csc/,
    },
  ],
  [
    'some categories named, some not',
    {
      agreements: [anAgreement()],
      request: { categories: ['identity', 'needs'] },
      decision: 'allow',
      categories: ['identity'],
      reason: /needs withheld/,
    },
  ],
  [
    'the allowed direction',
    {
      agreements: [anAgreement()],
      request: { fromAgency: CSC, toAgency: POLICE, categories: ['identity'] },
      decision: 'allow',
      categories: ['identity'],
      reason: /lets leeds-csc share identity with leeds-police/,
    },
  ],
  [
    'a category allowed one way only',
    {
      agreements: [anAgreement()],
      request: { fromAgency: CSC, toAgency: POLICE, categories: ['address'] },
      decision: 'deny',
      reason: /address withheld/,
    },
  ],
  [
    'a direction with no flow',
    {
      agreements: [anAgreement({ flows: [{ from: POLICE, to: CSC, categories: ['identity'] }] })],
      request: { fromAgency: CSC, toAgency: POLICE },
      decision: 'deny',
      reason: /covers leeds-police -> leeds-csc for case-coordination, but not this direction/,
    },
  ],
  [
    'consent required and absent',
    { agreements: [needsConsent], decision: 'deny', reason: /needs explicit consent .* none is recorded/ },
  ],
  [
    'consent given',
    {
      agreements: [needsConsent],
      consents: [consent('c-1', 'given', '2025-03-01')],
      decision: 'allow',
      reason: /Consent c-1 given on 2025-03-01/,
      consentRef: 'c-1',
    },
  ],
  [
    'consent given for another subject id of the same person',
    {
      agreements: [needsConsent],
      consents: [consent('c-1', 'given', '2025-03-01', { subject: 'leeds-csc/R-9' })],
      request: { subject: ['person-1', 'leeds-csc/R-9'] },
      decision: 'allow',
      reason: /Consent c-1/,
      consentRef: 'c-1',
    },
  ],
  [
    'consent refused',
    {
      agreements: [needsConsent],
      consents: [consent('c-1', 'refused', '2025-03-01')],
      decision: 'deny',
      reason: /Consent was refused on 2025-03-01 \(c-1\)/,
    },
  ],
  [
    'consent withdrawn after being given',
    {
      agreements: [needsConsent],
      consents: [consent('c-1', 'given', '2025-02-01'), consent('c-2', 'withdrawn', '2025-04-01')],
      decision: 'deny',
      reason: /withdrawn on 2025-04-01 \(c-2\)/,
    },
  ],
  [
    'consent given again after a refusal',
    {
      agreements: [needsConsent],
      consents: [consent('c-1', 'refused', '2025-02-01'), consent('c-2', 'given', '2025-04-01')],
      decision: 'allow',
      reason: /Consent c-2/,
      consentRef: 'c-2',
    },
  ],
  [
    'consent expired',
    {
      agreements: [needsConsent],
      consents: [consent('c-1', 'given', '2025-01-10', { expiresAt: at('2025-05-01') })],
      decision: 'deny',
      reason: /Consent c-1 expired on 2025-05-01/,
    },
  ],
  [
    'consent for another purpose',
    {
      agreements: [needsConsent],
      consents: [consent('c-1', 'given', '2025-03-01', { purpose: 'safeguarding' })],
      decision: 'deny',
      reason: /none is recorded/,
    },
  ],
  [
    'consent scoped to other agencies',
    {
      agreements: [needsConsent],
      consents: [consent('c-1', 'given', '2025-03-01', { scope: [HEALTH] })],
      decision: 'deny',
      reason: /none is recorded that covers leeds-csc/,
    },
  ],
  [
    'consent recorded after the moment decided',
    {
      agreements: [needsConsent],
      consents: [consent('c-1', 'given', '2025-07-01')],
      decision: 'deny',
      reason: /none is recorded/,
    },
  ],
  [
    'a justified safeguarding override',
    {
      agreements: [override('Risk of significant harm to a child (s47 enquiry).', '2025-09-01')],
      decision: 'allow',
      reason: /Safeguarding override until 2025-09-01: Risk of significant harm/,
      consentRef: null,
    },
  ],
  [
    'an override despite a refusal',
    {
      agreements: [override('Risk of significant harm', '2025-09-01')],
      consents: [consent('c-1', 'refused', '2025-03-01')],
      decision: 'allow',
      reason: /overrides consent refused in c-1/,
    },
  ],
  [
    'an override without justification',
    { agreements: [override('  ', '2025-09-01')], decision: 'deny', reason: /override has no justification/ },
  ],
  [
    'an unjustified override but consent given',
    {
      agreements: [override('', '2025-09-01')],
      consents: [consent('c-1', 'given', '2025-03-01')],
      decision: 'allow',
      reason: /Consent c-1/,
      consentRef: 'c-1',
    },
  ],
  [
    'an expired override',
    {
      agreements: [override('Risk of significant harm', '2025-05-01')],
      decision: 'deny',
      reason: /override expired on 2025-05-01; explicit consent is needed/,
    },
  ],
  [
    'special category data without an Article 9 condition',
    {
      agreements: [withHealth({})],
      request: { fromAgency: HEALTH, categories: ['health'] },
      decision: 'deny',
      reason: /health withheld: health is special category data and needs a UK GDPR Article 9 condition/,
    },
  ],
  [
    'special category data with Article 9 and Schedule 1',
    {
      agreements: [withHealth({ article9: 'health-social-care', schedule1: 'health-social-care' })],
      request: { fromAgency: HEALTH, categories: ['health'] },
      decision: 'allow',
      categories: ['health'],
      reason: /share health/,
    },
  ],
  [
    'an Article 9 condition that needs Schedule 1 without it',
    {
      agreements: [withHealth({ article9: 'substantial-public-interest' })],
      request: { fromAgency: HEALTH, categories: ['identity', 'health'] },
      decision: 'allow',
      categories: ['identity'],
      reason: /needs a DPA 2018 Schedule 1 condition/,
    },
  ],
  [
    'criminal offence data with a Schedule 1 condition',
    {
      agreements: [anAgreement()],
      request: { categories: ['criminal-offence'] },
      decision: 'allow',
      categories: ['criminal-offence'],
      reason: /share criminal-offence/,
    },
  ],
  [
    'criminal offence data without a Schedule 1 condition',
    {
      agreements: [
        anAgreement({ lawfulBasis: { article6: 'public-task', gateway: 'Crime and Disorder Act 1998 s115' } }),
      ],
      request: { categories: ['criminal-offence'] },
      decision: 'deny',
      reason: /criminal offence data needs a DPA 2018 Schedule 1 condition/,
    },
  ],
  [
    'an agency using its own data',
    {
      agreements: [],
      request: { toAgency: POLICE, categories: ['health'] },
      decision: 'allow',
      categories: ['health'],
      reason: /own data/,
    },
  ],
  [
    'nothing requested',
    {
      agreements: [anAgreement()],
      request: { categories: [] },
      decision: 'deny',
      reason: /No data categories were requested/,
    },
  ],
  [
    'a suspended and an active agreement together',
    {
      agreements: [anAgreement({ id: 'a-old', status: 'suspended' }), anAgreement({ id: 'b-new' })],
      decision: 'allow',
      reason: /b-new v4/,
    },
  ],
  [
    'an overdue review',
    {
      agreements: [anAgreement()],
      request: { at: at('2025-11-01') },
      decision: 'allow',
      reason: /was due for review on 2025-10-01/,
    },
  ],
];

describe('decide', () => {
  it.each(scenarios)('%s', (_name, s) => {
    const engine = GovernanceEngine.create(s.agreements, s.consents ?? []);
    const result = engine.decide({ ...base, ...s.request });
    expect(result.decision).toBe(s.decision);
    expect(result.reasons.join('\n')).toMatch(s.reason);
    if (s.categories) expect(result.categories).toEqual(s.categories);
    if (s.consentRef !== undefined) expect(result.consentRef).toBe(s.consentRef);
    if (result.decision === 'deny') expect(result.categories).toEqual([]);
  });

  it('names the agreement version it rests on, and none when nothing was in force', () => {
    const engine = GovernanceEngine.create([anAgreement({ consentRule: 'explicit-consent' })]);
    expect(engine.decide(base).agreement).toEqual({ id: 'dsa-early-help', version: 4 });
    expect(engine.decide({ ...base, at: at('2027-01-01') }).agreement).toBeNull();
    expect(engine.decide({ ...base, purpose: 'safeguarding', toAgency: HEALTH }).agreement).toBeNull();
  });

  it('returns the fields a flow is narrowed to', () => {
    const narrowed = anAgreement({
      flows: [{ from: POLICE, to: CSC, categories: ['identity'], fields: ['name', 'dateOfBirth'] }],
    });
    const result = GovernanceEngine.create([narrowed]).decide({ ...base, categories: ['identity'] });
    expect(result.fields).toEqual(['name', 'dateOfBirth']);
    expect(GovernanceEngine.create([anAgreement()]).decide(base).fields).toBeNull();
  });

  it('uses only the latest version of each agreement', () => {
    const v4 = anAgreement();
    const v5 = anAgreement({ version: 5, status: 'suspended' });
    expect(GovernanceEngine.create([v5, v4]).decide(base).decision).toBe('deny');
    expect(GovernanceEngine.create([v4]).withAgreements([v5]).decide(base).decision).toBe('deny');
  });

  it('takes new consent without changing the engine it came from', () => {
    const before = GovernanceEngine.create([anAgreement({ consentRule: 'explicit-consent' })]);
    const after = before.withConsents([consent('c-9', 'given', '2025-05-01')]);
    expect(before.decide(base).decision).toBe('deny');
    expect(after.decide(base)).toMatchObject({ decision: 'allow', consentRef: 'c-9' });
  });

  it('gives the same answer whatever order the register is in', () => {
    const agreements = [
      anAgreement({ id: 'b' }),
      anAgreement({ id: 'a' }),
      anAgreement({ id: 'c', status: 'suspended' }),
    ];
    const consents = [consent('c-1', 'given', '2025-03-01'), consent('c-2', 'refused', '2025-03-01')];
    const one = GovernanceEngine.create(agreements, consents).decide(base);
    const two = GovernanceEngine.create([...agreements].reverse(), [...consents].reverse()).decide(base);
    expect(two).toEqual(one);
    expect(one.agreement).toEqual({ id: 'a', version: 4 });
    expect(one.decision).toBe('allow');
  });

  it('lets a refusal win over consent given at the same moment', () => {
    const engine = GovernanceEngine.create(
      [anAgreement({ consentRule: 'explicit-consent' })],
      [consent('c-2', 'given', '2025-03-01'), consent('c-1', 'refused', '2025-03-01')],
    );
    expect(engine.decide(base).decision).toBe('deny');
  });
});

import { BrokerError } from '@joinedup/core';
import type { Actor, Agreement } from './agreement.js';
import { CSC, HEALTH, POLICE, anAgreement, at } from './agreement.fixture.js';
import {
  activate,
  approve,
  createDraft,
  editDraft,
  expireDue,
  pendingApprovals,
  resume,
  retire,
  submitForApproval,
  suspend,
} from './agreement-lifecycle.js';
import { agreementProblems, type AgreementContent } from './agreement-validation.js';

const ig = (person: string, agency: string): Actor => ({ person, agency, roles: ['ig-officer'] });
const author = ig('ig-csc-1', CSC);
const policeIg = ig('ig-police-1', POLICE);
const healthIg = ig('ig-health-1', HEALTH);

function content(): AgreementContent {
  const { id: _id, version: _v, status: _s, approvals: _a, change: _c, author: _au, ...rest } = anAgreement();
  return { ...rest, parties: [CSC, POLICE, HEALTH] };
}

const submitted = (): Agreement =>
  submitForApproval(createDraft('dsa-1', content(), author, at('2024-12-01')), author, at('2024-12-02'));

function codeOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (e instanceof BrokerError) return e.code;
    throw e;
  }
  return 'no error';
}

describe('agreement lifecycle', () => {
  it('makes a new version for every change and leaves the old ones as they were', () => {
    const v1 = createDraft('dsa-1', content(), author, at('2024-12-01'));
    const v2 = editDraft(v1, { title: 'Early help v2' }, author, at('2024-12-02'));
    const v3 = submitForApproval(v2, author, at('2024-12-03'));
    expect([v1.version, v2.version, v3.version]).toEqual([1, 2, 3]);
    expect(v1).toMatchObject({ title: 'Early help information sharing', status: 'draft' });
    expect(v2.change).toEqual({ by: 'ig-csc-1', at: at('2024-12-02'), description: 'edited title' });
    expect(v3.status).toBe('awaiting-approval');
  });

  it('needs an IG officer of every party other than the author’s before activation', () => {
    let a = submitted();
    expect(pendingApprovals(a)).toEqual([POLICE, HEALTH]);
    a = approve(a, policeIg, at('2024-12-05'));
    expect(codeOf(() => activate(a, author, at('2024-12-06')))).toBe('CONFLICT');
    a = approve(a, healthIg, at('2024-12-07'));
    const active = activate(a, author, at('2024-12-08'));
    expect(active.status).toBe('active');
    expect(active.approvals.map((x) => x.agency)).toEqual([POLICE, HEALTH]);
  });

  it('never lets the author approve, even for another agency', () => {
    const a = submitted();
    expect(codeOf(() => approve(a, { ...author, agency: POLICE }, at('2024-12-05')))).toBe('FORBIDDEN');
  });

  it.each([
    ['someone who is not an IG officer', { person: 'cw-1', agency: POLICE, roles: ['caseworker'] }, 'FORBIDDEN'],
    ['an agency that is not a party', ig('ig-x', 'leeds-housing'), 'FORBIDDEN'],
  ])('refuses approval from %s', (_name, actor, code) => {
    expect(codeOf(() => approve(submitted(), actor, at('2024-12-05')))).toBe(code);
  });

  it('counts one approval per agency', () => {
    const a = approve(submitted(), policeIg, at('2024-12-05'));
    expect(codeOf(() => approve(a, ig('ig-police-2', POLICE), at('2024-12-06')))).toBe('CONFLICT');
  });

  it('sends an edited agreement back to draft and clears its approvals', () => {
    const approved = approve(submitted(), policeIg, at('2024-12-05'));
    const edited = editDraft(approved, { reviewDate: at('2025-09-01') }, author, at('2024-12-06'));
    expect(edited).toMatchObject({ status: 'draft', approvals: [] });
    expect(edited.change.description).toMatch(/approvals cleared/);
  });

  it('refuses to submit an invalid draft, listing every problem at once', () => {
    const draft = createDraft(
      'dsa-bad',
      {
        ...content(),
        flows: [{ from: HEALTH, to: 'leeds-housing', categories: ['health'] }],
        lawfulBasis: { article6: 'public-task', gateway: '' },
        consentRule: 'safeguarding-override',
        validTo: at('2024-06-01'),
      },
      author,
      at('2024-12-01'),
    );
    let problems: string[] = [];
    try {
      submitForApproval(draft, author, at('2024-12-02'));
    } catch (e) {
      problems = ((e as BrokerError).details as { problems: string[] }).problems;
    }
    expect(problems).toEqual([
      'Flow leeds-health -> leeds-housing: leeds-housing is not a party.',
      'Flow leeds-health -> leeds-housing shares health, but health is special category data and needs a UK GDPR Article 9 condition.',
      'Name the legal gateway that allows this sharing.',
      'A safeguarding override needs a written justification.',
      'A safeguarding override needs an expiry date.',
      'validTo (2024-06-01) must be after validFrom (2025-01-01).',
      'The review date (2025-10-01) must not be after validTo (2024-06-01).',
    ]);
  });

  it('finds nothing wrong with a complete agreement', () => {
    expect(agreementProblems({ ...content(), author: { person: 'ig-csc-1', agency: CSC } })).toEqual([]);
  });

  it.each<[string, Partial<AgreementContent>, RegExp]>([
    [
      'a consent basis without a consent rule',
      { lawfulBasis: { article6: 'consent', gateway: 'x' } },
      /must be explicit-consent/,
    ],
    [
      'an override on a not-required rule',
      { override: { justification: 'x', expiresAt: at('2025-06-01') } },
      /only meaningful/,
    ],
    [
      'a flow to itself',
      { flows: [{ from: CSC, to: CSC, categories: ['identity'] }] },
      /does not need an agreement with itself/,
    ],
    [
      'a repeated direction',
      {
        flows: [
          { from: CSC, to: POLICE, categories: ['identity'] },
          { from: CSC, to: POLICE, categories: ['address'] },
        ],
      },
      /more than once/,
    ],
    ['no purposes', { purposes: [] }, /at least one purpose/],
    ['one party', { parties: [CSC] }, /at least two parties/],
    ['no DPIA', { dpiaReference: ' ' }, /impact assessment/],
  ])('flags %s', (_name, change, problem) => {
    const problems = agreementProblems({ ...content(), ...change, author: { person: 'p', agency: CSC } });
    expect(problems.join('\n')).toMatch(problem);
  });

  it('suspends, resumes and retires only from the right states', () => {
    const active = anAgreement();
    const suspended = suspend(active, policeIg, at('2025-03-01'), 'breach under investigation');
    expect(suspended).toMatchObject({ status: 'suspended', version: 5 });
    expect(suspended.change.description).toBe('suspended: breach under investigation');
    expect(resume(suspended, author, at('2025-03-10'))).toMatchObject({ status: 'active', version: 6 });
    expect(codeOf(() => resume(active, author, at('2025-03-10')))).toBe('CONFLICT');
    expect(codeOf(() => resume(suspended, author, at('2026-03-10')))).toBe('CONFLICT');
    expect(codeOf(() => suspend(active, policeIg, at('2025-03-01'), ''))).toBe('VALIDATION_FAILED');
    const retired = retire(suspended, author, at('2025-04-01'), 'replaced by dsa-2');
    expect(retired.status).toBe('retired');
    expect(codeOf(() => retire(retired, author, at('2025-04-02'), 'again'))).toBe('CONFLICT');
    expect(codeOf(() => editDraft(active, { title: 'x' }, author, at('2025-04-02')))).toBe('CONFLICT');
  });

  it('refuses to activate an agreement that has already ended', () => {
    const a = approve(submitted(), policeIg, at('2024-12-05'));
    const ready = approve(a, healthIg, at('2024-12-05'));
    expect(codeOf(() => activate(ready, author, at('2026-02-01')))).toBe('CONFLICT');
  });

  it('expires the active and suspended agreements whose validTo has passed', () => {
    const agreements = [
      anAgreement({ id: 'a' }),
      anAgreement({ id: 'b', status: 'suspended' }),
      anAgreement({ id: 'c', validTo: at('2027-01-01') }),
      anAgreement({ id: 'd', status: 'draft' }),
    ];
    const expired = expireDue(agreements, at('2026-01-02'));
    expect(expired.map((a) => [a.id, a.status, a.version])).toEqual([
      ['a', 'expired', 5],
      ['b', 'expired', 5],
    ]);
    expect(expired[0]!.change).toEqual({
      by: 'system',
      at: at('2026-01-02'),
      description: 'expired: validTo 2026-01-01 passed',
    });
  });
});

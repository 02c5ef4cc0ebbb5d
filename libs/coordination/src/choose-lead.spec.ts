import { readFileSync } from 'node:fs';
import { chooseLead, preferredAgencyOf } from './choose-lead.js';
import { family, involvement, workers } from './coordination.fixture.js';
import { parseLeadWorkerPolicy, validateLeadWorkerPolicy, type LeadWorkerPolicy } from './lead-worker-policy.js';

const shipped = parseLeadWorkerPolicy(JSON.parse(readFileSync('config/coordination/lead-worker-policy.json', 'utf8')));
const summary = (choice: ReturnType<typeof chooseLead>) =>
  choice.candidates.map((c) => [c.kind === 'worker' ? c.workerId : `${c.agency}/${c.team}`, c.step]);

describe('lead-worker policy', () => {
  it('keeps an existing lead of any family member first (continuity)', () => {
    const f = family();
    f.persons[1]!.involvements[1]!.leadWorkerId = 'jo';
    const choice = chooseLead(f, workers(), shipped);
    expect(choice.candidates[0]).toEqual({
      kind: 'worker',
      workerId: 'jo',
      agency: 'leeds-school',
      team: 'north',
      step: 'continuity',
      explanation: 'keeps Jo Bloggs, already lead for the child (continuity)',
    });
  });

  it('keeps the lead of the case as it stands', () => {
    const choice = chooseLead(family(), workers(), shipped, [], { caseLeadWorkerId: 'hana' });
    expect(choice.candidates[0]!.explanation).toBe('keeps Hana Hill, already lead for this case (continuity)');
  });

  it('then goes to the agency for the main need and ranks its workers: most family members, then lowest caseload, then duty team', () => {
    const choice = chooseLead(family(), workers(), shipped);
    expect(choice.mainNeed).toBe('child-protection');
    expect(choice.preferredAgency?.agency).toBe('leeds-csc');
    expect(summary(choice)).toEqual([
      ['ann', 'most-family-members'],
      ['bob', 'lowest-caseload'],
      ['cat', 'lowest-caseload'],
      ['leeds-csc/duty', 'duty-team'],
    ]);
    expect(choice.candidates.map((c) => c.explanation)).toEqual([
      "offers Ann Able at leeds-csc (children's social care), the agency preferred for the family's main need, child-protection; works with 2 of the family's 2 members; caseload 18 of 20 (most family members)",
      "offers Bob Brown at leeds-csc (children's social care), the agency preferred for the family's main need, child-protection; works with 1 of the family's 2 members; caseload 5 of 20 (lowest caseload)",
      "offers Cat Cole at leeds-csc (children's social care), the agency preferred for the family's main need, child-protection; works with 1 of the family's 2 members; caseload 10 of 20 (lowest caseload)",
      "offers the duty team of leeds-csc (children's social care), the agency preferred for the family's main need, child-protection (duty team)",
    ]);
  });

  it('applies the ranking steps in the order the policy lists them', () => {
    const caseloadFirst: LeadWorkerPolicy = {
      ...shipped,
      steps: ['continuity', 'preferred-agency', 'lowest-caseload', 'most-family-members', 'duty-team'],
    };
    expect(summary(chooseLead(family(), workers(), caseloadFirst)).map(([id]) => id)).toEqual([
      'bob',
      'cat',
      'ann',
      'leeds-csc/duty',
    ]);
  });

  it('passes over workers who are away or were already offered the case, and says why', () => {
    const team = workers().map((w) => (w.id === 'bob' ? { ...w, available: false } : w));
    const choice = chooseLead(family(), team, shipped, ['ann', 'duty-team:leeds-csc:duty']);
    expect(summary(choice)).toEqual([['cat', 'preferred-agency']]);
    expect(choice.passedOver).toEqual([
      { workerId: 'ann', reason: 'already offered this case' },
      { workerId: 'bob', reason: 'not available' },
    ]);
  });

  it('offers the duty team when the preferred agency has no named worker', () => {
    const f = family();
    for (const p of f.persons) for (const i of p.involvements) if (i.agency === 'leeds-csc') i.workerIds = [];
    expect(summary(chooseLead(f, workers(), shipped))).toEqual([['leeds-csc/duty', 'duty-team']]);
  });

  it('moves down the need list when no agency of the preferred sector is involved', () => {
    const f = family();
    f.persons[0]!.involvements = [
      involvement('leeds-health', 'health', { workerIds: ['hana'], needs: ['domestic-abuse', 'mental-health'] }),
    ];
    f.persons[1]!.involvements = [];
    const preferred = preferredAgencyOf(f, shipped);
    expect(preferred).toEqual({
      agency: 'leeds-health',
      sector: 'health',
      need: 'mental-health',
      why: 'leeds-health (health), the agency preferred for the next need with an agency involved, mental-health',
    });
  });

  it('falls back to the agency involved with the most family members when no need maps', () => {
    const f = family();
    for (const p of f.persons) for (const i of p.involvements) i.needs = [];
    expect(preferredAgencyOf(f, shipped)?.agency).toBe('leeds-csc');
    expect(chooseLead(f, workers(), shipped).mainNeed).toBeUndefined();
  });
});

describe('lead-worker policy validation', () => {
  it('accepts the shipped policy', () => {
    expect(
      validateLeadWorkerPolicy(JSON.parse(readFileSync('config/coordination/lead-worker-policy.json', 'utf8'))),
    ).toEqual([]);
  });

  it('lists every problem at once', () => {
    const problems = validateLeadWorkerPolicy({
      version: 0,
      steps: ['lowest-caseload', 'continuity', 'seniority', 'lowest-caseload'],
      needPriority: ['child-protection', 'tea'],
      preferredSectorByNeed: { 'child-protection': 'childrens', housing: 'housing' },
      dutyTeam: '',
      offers: { workingDays: 0, maxFailures: 3.5 },
    });
    expect(problems).toEqual([
      'version: must be a whole number, 1 or more',
      'steps[2]: unknown step "seniority"; known steps are continuity, preferred-agency, most-family-members, lowest-caseload, duty-team',
      'steps[3]: lowest-caseload is listed twice',
      'steps: continuity must come first, or a current lead could be replaced',
      'steps: lowest-caseload needs preferred-agency before it, to know whose workers to rank',
      'needPriority[1]: unknown need code "tea"',
      'preferredSectorByNeed.child-protection: unknown sector "childrens"',
      'preferredSectorByNeed.housing: the need is not in needPriority, so it can never be the main need',
      'dutyTeam: must name a team',
      'offers.workingDays: must be a whole number from 1 to 20',
      'offers.maxFailures: must be a whole number from 1 to 10',
    ]);
    expect(() => parseLeadWorkerPolicy({})).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }));
  });
});

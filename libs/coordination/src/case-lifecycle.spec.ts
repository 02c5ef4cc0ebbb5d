import { planCase, type CurrentCase, type GovernanceAnswer } from './case-lifecycle.js';
import { family, involvement } from './coordination.fixture.js';

const allow: GovernanceAnswer = { allowed: true, reason: 'agreement LCC-7 v3 in force' };
const everyoneAllowed = { 'leeds-csc': allow, 'leeds-health': allow, 'leeds-school': allow, 'leeds-housing': allow };

function openCase(): CurrentCase {
  const plan = planCase({ family: family(), governance: everyoneAllowed });
  if (plan.kind !== 'open') throw new Error(`expected open, got ${plan.kind}`);
  return { ...plan.contents, caseId: 'case-1', status: 'open', leadWorkerId: 'ann' };
}

describe('case lifecycle', () => {
  it('opens a case when two or more agencies have open involvement and may coordinate', () => {
    const plan = planCase({ family: family(), governance: everyoneAllowed });
    expect(plan).toEqual({
      kind: 'open',
      contents: {
        familyId: 'fam-1',
        memberIds: ['p-mum', 'p-son'],
        agencies: ['leeds-csc', 'leeds-health', 'leeds-school'],
        workerIds: ['ann', 'bob', 'cat', 'hana', 'sam'],
        needs: ['child-protection', 'domestic-abuse', 'mental-health', 'school-attendance'],
      },
      reasons: [
        'case opens: leeds-csc, leeds-health and leeds-school have open involvement with the family and may coordinate',
      ],
      notify: [
        { agency: 'leeds-csc', workerIds: ['ann', 'bob', 'cat'], as: 'member' },
        { agency: 'leeds-health', workerIds: ['hana'], as: 'member' },
        { agency: 'leeds-school', workerIds: ['sam'], as: 'member' },
      ],
      leadNeeded: true,
    });
  });

  it('opens no case for a family known to one agency', () => {
    const f = family();
    f.persons[0]!.involvements = [];
    f.persons[1]!.involvements = f.persons[1]!.involvements.filter((i) => i.agency === 'leeds-csc');
    expect(planCase({ family: f, governance: everyoneAllowed })).toEqual({
      kind: 'none',
      reasons: ['no case: only leeds-csc has open involvement with the family'],
    });
  });

  it('opens no case when governance allows fewer than two agencies, and says why (default deny)', () => {
    const governance = { 'leeds-csc': allow, 'leeds-health': { allowed: false, reason: 'no agreement in force' } };
    expect(planCase({ family: family(), governance })).toEqual({
      kind: 'none',
      reasons: [
        'no case: only 1 of the 3 agencies with open involvement may coordinate',
        'leeds-health: case coordination not allowed (no agreement in force)',
        'leeds-school: case coordination not allowed (no governance decision)',
      ],
    });
  });

  it('leaves out an agency governance does not allow, but opens for the others', () => {
    const plan = planCase({
      family: family(),
      governance: { ...everyoneAllowed, 'leeds-health': { allowed: false, reason: 'consent refused' } },
    });
    expect(plan.kind).toBe('open');
    if (plan.kind !== 'open') return;
    expect(plan.contents.agencies).toEqual(['leeds-csc', 'leeds-school']);
    expect(plan.contents.workerIds).not.toContain('hana');
    expect(plan.notify.map((r) => r.agency)).toEqual(['leeds-csc', 'leeds-school']);
    expect(plan.reasons[1]).toBe('leeds-health: case coordination not allowed (consent refused)');
  });

  it('updates when an agency and a need join', () => {
    const f = family();
    f.persons[0]!.involvements.push(
      involvement('leeds-housing', 'housing', { workerIds: ['hal'], needs: ['housing'] }),
    );
    const plan = planCase({ family: f, current: openCase(), governance: everyoneAllowed });
    expect(plan).toMatchObject({
      kind: 'update',
      caseId: 'case-1',
      changes: [
        { kind: 'agency-joined', agency: 'leeds-housing' },
        { kind: 'worker-joined', workerId: 'hal' },
        { kind: 'need-added', need: 'housing' },
      ],
      reasons: [
        'leeds-housing now has open involvement and may coordinate',
        'a worker joined the case',
        'a need was recorded',
      ],
      leadNeeded: false,
    });
    if (plan.kind === 'update') expect(plan.notify.map((r) => `${r.agency}:${r.as}`)).toContain('leeds-housing:member');
  });

  it('updates when consent is withdrawn for one agency; that agency is told only that it has left', () => {
    const governance = { ...everyoneAllowed, 'leeds-health': { allowed: false, reason: 'consent withdrawn' } };
    const plan = planCase({ family: family(), current: openCase(), governance });
    expect(plan).toMatchObject({
      kind: 'update',
      changes: [
        { kind: 'agency-left', agency: 'leeds-health', because: 'not-allowed' },
        { kind: 'worker-left', workerId: 'hana' },
        { kind: 'need-removed', need: 'mental-health' },
      ],
      reasons: [
        'leeds-health left: case coordination not allowed (consent withdrawn)',
        'a worker left the case',
        'a need was closed',
      ],
    });
    if (plan.kind === 'update')
      expect(plan.notify.at(-1)).toEqual({ agency: 'leeds-health', workerIds: ['hana'], as: 'leaving' });
  });

  it('asks for a new lead when the lead worker is no longer involved', () => {
    const f = family();
    for (const p of f.persons) for (const i of p.involvements) i.workerIds = i.workerIds.filter((w) => w !== 'ann');
    const plan = planCase({ family: f, current: openCase(), governance: everyoneAllowed });
    expect(plan).toMatchObject({ kind: 'update', leadNeeded: true });
    expect(plan.reasons).toContain('the case has no involved lead worker; a new lead is needed');
  });

  it('closes when involvement ends and one agency is left, telling every former agency', () => {
    const f = family();
    f.persons[0]!.involvements = f.persons[0]!.involvements.map((i) => ({ ...i, open: false }));
    f.persons[1]!.involvements = f.persons[1]!.involvements.map((i) =>
      i.agency === 'leeds-school' ? { ...i, open: false } : i,
    );
    expect(planCase({ family: f, current: openCase(), governance: everyoneAllowed })).toEqual({
      kind: 'close',
      caseId: 'case-1',
      reasons: [
        'case closes: only leeds-csc has open involvement with the family',
        'leeds-health: involvement ended',
        'leeds-school: involvement ended',
      ],
      notify: [
        { agency: 'leeds-csc', workerIds: ['ann', 'bob', 'cat'], as: 'leaving' },
        { agency: 'leeds-health', workerIds: ['hana'], as: 'leaving' },
        { agency: 'leeds-school', workerIds: ['sam'], as: 'leaving' },
      ],
    });
  });

  it('closes when consent is withdrawn', () => {
    const withdrawn = { allowed: false, reason: 'consent withdrawn' };
    const plan = planCase({
      family: family(),
      current: openCase(),
      governance: { 'leeds-csc': withdrawn, 'leeds-health': withdrawn, 'leeds-school': withdrawn },
    });
    expect(plan.kind).toBe('close');
    expect(plan.reasons).toEqual([
      'case closes: none of the 3 agencies with open involvement may coordinate',
      'leeds-csc: case coordination not allowed (consent withdrawn)',
      'leeds-health: case coordination not allowed (consent withdrawn)',
      'leeds-school: case coordination not allowed (consent withdrawn)',
    ]);
  });

  it('does nothing when nothing changed, and treats a closed case as no case', () => {
    expect(planCase({ family: family(), current: openCase(), governance: everyoneAllowed })).toEqual({
      kind: 'none',
      reasons: ['no change to the case'],
    });
    expect(
      planCase({ family: family(), current: { ...openCase(), status: 'closed' }, governance: everyoneAllowed }).kind,
    ).toBe('open');
  });
});

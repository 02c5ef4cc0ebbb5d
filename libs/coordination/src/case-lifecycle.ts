import { type FamilySnapshot, listInWords, openInvolvements, sortedUnique } from './family.js';

/**
 * Case lifecycle: from a family snapshot, the case as stored and the governance answers, what
 * should change. The engine does not ask governance itself; the caller passes one answer per agency
 * for the purpose `case-coordination`, and an agency with no answer is treated as denied.
 */

export interface GovernanceAnswer {
  allowed: boolean;
  /** Plain words, e.g. "consent withdrawn" or "agreement LCC-7 v3 in force". */
  reason: string;
}

/** What a case holds; ids only, so it can be stored and compared. */
export interface CaseContents {
  familyId: string;
  memberIds: string[];
  agencies: string[];
  workerIds: string[];
  needs: string[];
}

export interface CurrentCase extends CaseContents {
  caseId: string;
  status: 'open' | 'closed';
  leadWorkerId?: string;
}

export interface PlanCaseInput {
  family: FamilySnapshot;
  current?: CurrentCase;
  governance: Readonly<Record<string, GovernanceAnswer>>;
}

export type CaseChange =
  | { kind: 'member-joined' | 'member-left'; personId: string }
  | { kind: 'agency-joined'; agency: string }
  | { kind: 'agency-left'; agency: string; because: 'involvement-ended' | 'not-allowed' }
  | { kind: 'worker-joined' | 'worker-left'; workerId: string }
  | { kind: 'need-added' | 'need-removed'; need: string };

/**
 * Who to tell. `member` recipients may receive what governance permits for them; `leaving`
 * recipients get only a notice that they are no longer part of the case (they knew of it already).
 */
export interface Recipient {
  agency: string;
  workerIds: string[];
  as: 'member' | 'leaving';
}

export type CasePlan =
  | { kind: 'open'; contents: CaseContents; reasons: string[]; notify: Recipient[]; leadNeeded: true }
  | {
      kind: 'update';
      caseId: string;
      contents: CaseContents;
      changes: CaseChange[];
      reasons: string[];
      notify: Recipient[];
      leadNeeded: boolean;
    }
  | { kind: 'close'; caseId: string; reasons: string[]; notify: Recipient[] }
  | { kind: 'none'; reasons: string[] };

/** Fewer than this many agencies with open, permitted involvement and there is nothing to coordinate. */
export const MIN_AGENCIES_FOR_A_CASE = 2;

export function planCase(input: PlanCaseInput): CasePlan {
  const { family, governance } = input;
  const current = input.current?.status === 'open' ? input.current : undefined;
  const open = openInvolvements(family);
  const involved = sortedUnique(open.map(({ involvement }) => involvement.agency));
  const denied = involved.filter((agency) => !governance[agency]?.allowed);
  const allowed = involved.filter((agency) => governance[agency]?.allowed === true);
  const deniedReasons = denied.map(
    (agency) => `${agency}: case coordination not allowed (${governance[agency]?.reason ?? 'no governance decision'})`,
  );

  const inCase = open.filter(({ involvement }) => allowed.includes(involvement.agency));
  const contents: CaseContents = {
    familyId: family.familyId,
    memberIds: sortedUnique(family.persons.map((p) => p.personId)),
    agencies: allowed,
    workerIds: sortedUnique(inCase.flatMap(({ involvement }) => involvement.workerIds)),
    needs: sortedUnique(inCase.flatMap(({ involvement }) => involvement.needs)),
  };
  const workersOf = (agency: string) =>
    sortedUnique(
      open
        .filter(({ involvement }) => involvement.agency === agency)
        .flatMap(({ involvement }) => involvement.workerIds),
    );
  // A closed involvement still names its workers; tell those who were part of the case.
  const leaving = (current: CurrentCase, agency: string): Recipient => ({
    agency,
    workerIds: sortedUnique(
      family.persons
        .flatMap((p) => p.involvements)
        .filter((i) => i.agency === agency)
        .flatMap((i) => i.workerIds)
        .filter((id) => current.workerIds.includes(id)),
    ),
    as: 'leaving',
  });

  if (allowed.length < MIN_AGENCIES_FOR_A_CASE) {
    const why =
      involved.length < MIN_AGENCIES_FOR_A_CASE
        ? `${involved.length === 0 ? 'no agency has' : `only ${involved[0]!} has`} open involvement with the family`
        : `${allowed.length === 0 ? 'none' : `only ${allowed.length}`} of the ${involved.length} agencies with open involvement may coordinate`;
    if (!current) return { kind: 'none', reasons: [`no case: ${why}`, ...deniedReasons] };
    const ended = current.agencies.filter((a) => !involved.includes(a));
    return {
      kind: 'close',
      caseId: current.caseId,
      reasons: [`case closes: ${why}`, ...ended.map((a) => `${a}: involvement ended`), ...deniedReasons],
      // Everyone who was part of the case hears it has closed, and nothing more.
      notify: current.agencies.map((agency) => leaving(current, agency)),
    };
  }

  const members = (plan: CaseContents): Recipient[] =>
    plan.agencies.map((agency) => ({ agency, workerIds: workersOf(agency), as: 'member' as const }));

  if (!current) {
    return {
      kind: 'open',
      contents,
      reasons: [
        `case opens: ${listInWords(allowed)} have open involvement with the family and may coordinate`,
        ...deniedReasons,
      ],
      notify: members(contents),
      leadNeeded: true,
    };
  }

  const changes = diff(current, contents, involved);
  if (changes.length === 0) return { kind: 'none', reasons: ['no change to the case'] };
  const leavers = changes.flatMap((c) => (c.kind === 'agency-left' ? [c.agency] : []));
  const leadGone = current.leadWorkerId === undefined || !contents.workerIds.includes(current.leadWorkerId);
  return {
    kind: 'update',
    caseId: current.caseId,
    contents,
    changes,
    reasons: [
      ...changes.map((c) => describe(c, governance)),
      ...(leadGone ? ['the case has no involved lead worker; a new lead is needed'] : []),
    ],
    notify: [...members(contents), ...leavers.map((agency) => leaving(current, agency))],
    leadNeeded: leadGone,
  };
}

function diff(before: CaseContents, after: CaseContents, involved: readonly string[]): CaseChange[] {
  const added = (a: readonly string[], b: readonly string[]) => b.filter((x) => !a.includes(x));
  return [
    ...added(before.memberIds, after.memberIds).map((personId) => ({ kind: 'member-joined' as const, personId })),
    ...added(after.memberIds, before.memberIds).map((personId) => ({ kind: 'member-left' as const, personId })),
    ...added(before.agencies, after.agencies).map((agency) => ({ kind: 'agency-joined' as const, agency })),
    ...added(after.agencies, before.agencies).map((agency) => ({
      kind: 'agency-left' as const,
      agency,
      because: involved.includes(agency) ? ('not-allowed' as const) : ('involvement-ended' as const),
    })),
    ...added(before.workerIds, after.workerIds).map((workerId) => ({ kind: 'worker-joined' as const, workerId })),
    ...added(after.workerIds, before.workerIds).map((workerId) => ({ kind: 'worker-left' as const, workerId })),
    ...added(before.needs, after.needs).map((need) => ({ kind: 'need-added' as const, need })),
    ...added(after.needs, before.needs).map((need) => ({ kind: 'need-removed' as const, need })),
  ];
}

/** Reasons name agencies and kinds of change only; need codes and person ids stay in `changes`. */
function describe(change: CaseChange, governance: PlanCaseInput['governance']): string {
  switch (change.kind) {
    case 'member-joined':
      return 'a person joined the family';
    case 'member-left':
      return 'a person left the family';
    case 'agency-joined':
      return `${change.agency} now has open involvement and may coordinate`;
    case 'agency-left':
      return change.because === 'involvement-ended'
        ? `${change.agency} left: involvement ended`
        : `${change.agency} left: case coordination not allowed (${governance[change.agency]?.reason ?? 'no governance decision'})`;
    case 'worker-joined':
      return 'a worker joined the case';
    case 'worker-left':
      return 'a worker left the case';
    case 'need-added':
      return 'a need was recorded';
    case 'need-removed':
      return 'a need was closed';
  }
}

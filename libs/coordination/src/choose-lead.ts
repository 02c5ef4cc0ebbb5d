import type { Sector } from '@joinedup/core';
import {
  type AgencyInvolvement,
  type FamilySnapshot,
  type Worker,
  listInWords,
  openInvolvements,
  personLabel,
  sectorLabel,
} from './family.js';
import { LEAD_POLICY_STEP_LABELS, type LeadPolicyStep, type LeadWorkerPolicy } from './lead-worker-policy.js';

export type LeadCandidate =
  | { kind: 'worker'; workerId: string; agency: string; team: string; step: LeadPolicyStep; explanation: string }
  | { kind: 'duty-team'; agency: string; team: string; step: 'duty-team'; explanation: string };

export interface PreferredAgency {
  agency: string;
  sector: Sector;
  /** The need that chose it; undefined when no need maps to an involved agency. */
  need?: string;
  why: string;
}

export interface LeadChoice {
  mainNeed?: string;
  preferredAgency?: PreferredAgency;
  /** Best first. Offers go down this list. */
  candidates: LeadCandidate[];
  /** Workers the policy would have considered, and why they were not. */
  passedOver: { workerId: string; reason: string }[];
}

export interface ChooseLeadOptions {
  /** The lead of the case as it stands; continuity keeps them first. */
  caseLeadWorkerId?: string;
}

export function candidateKey(candidate: LeadCandidate): string {
  return candidate.kind === 'worker'
    ? `worker:${candidate.workerId}`
    : `duty-team:${candidate.agency}:${candidate.team}`;
}

/** The first need in the policy's priority list that any open involvement records. */
export function mainNeedOf(family: FamilySnapshot, policy: LeadWorkerPolicy): string | undefined {
  const present = new Set(openInvolvements(family).flatMap(({ involvement }) => involvement.needs));
  return policy.needPriority.find((code) => present.has(code));
}

function membersPerAgency(family: FamilySnapshot): Map<string, { sector: Sector; persons: Set<string> }> {
  const agencies = new Map<string, { sector: Sector; persons: Set<string> }>();
  for (const { person, involvement } of openInvolvements(family)) {
    const entry = agencies.get(involvement.agency) ?? { sector: involvement.sector, persons: new Set<string>() };
    entry.persons.add(person.personId);
    agencies.set(involvement.agency, entry);
  }
  return agencies;
}

/**
 * The agency for the family's main need; when no agency of that sector is involved, the next need
 * down the priority list; when none maps, the agency involved with the most family members.
 * Ties go to the agency involved with more members, then to the agency id, so the answer is stable.
 */
export function preferredAgencyOf(family: FamilySnapshot, policy: LeadWorkerPolicy): PreferredAgency | undefined {
  const agencies = membersPerAgency(family);
  const ranked = [...agencies.entries()].sort(
    ([a, x], [b, y]) => y.persons.size - x.persons.size || a.localeCompare(b),
  );
  const present = new Set(openInvolvements(family).flatMap(({ involvement }) => involvement.needs));
  const main = mainNeedOf(family, policy);
  for (const need of policy.needPriority.filter((code) => present.has(code))) {
    const sector = policy.preferredSectorByNeed[need];
    const hit = ranked.find(([, entry]) => entry.sector === sector);
    if (sector && hit) {
      const what = `${hit[0]} (${sectorLabel(sector)}), the agency preferred for ${need === main ? "the family's main need" : 'the next need with an agency involved'}, ${need}`;
      return { agency: hit[0], sector, need, why: what };
    }
  }
  const [agency, entry] = ranked[0] ?? [];
  if (!agency || !entry) return undefined;
  return {
    agency,
    sector: entry.sector,
    why: `${agency} (${sectorLabel(entry.sector)}), involved with the most family members, as no need maps to an involved agency`,
  };
}

function workerName(workers: ReadonlyMap<string, Worker>, id: string): string {
  return workers.get(id)?.name ?? id;
}

function load(worker: Worker): number {
  return worker.capacity > 0 ? worker.caseload / worker.capacity : Number.POSITIVE_INFINITY;
}

/**
 * Ranked lead-worker candidates for a family, each with the policy step that placed it and why.
 * `exclude` holds worker ids, or candidate keys (`candidateKey`) to leave out a duty team.
 * Pass only the involvements governance allows for case coordination.
 */
export function chooseLead(
  family: FamilySnapshot,
  workers: readonly Worker[],
  policy: LeadWorkerPolicy,
  exclude: readonly string[] = [],
  options: ChooseLeadOptions = {},
): LeadChoice {
  const byId = new Map(workers.map((w) => [w.id, w]));
  const excluded = new Set(exclude);
  const candidates: LeadCandidate[] = [];
  const passedOver: LeadChoice['passedOver'] = [];
  const seen = new Set<string>();
  const mainNeed = mainNeedOf(family, policy);
  let preferred: PreferredAgency | undefined;

  /** True when the worker may be offered the case; records why not otherwise. */
  const eligible = (id: string): boolean => {
    if (seen.has(id)) return false;
    seen.add(id);
    const worker = byId.get(id);
    const reason = excluded.has(id)
      ? 'already offered this case'
      : !worker
        ? 'not in the worker registry'
        : !worker.available
          ? 'not available'
          : undefined;
    if (reason) passedOver.push({ workerId: id, reason });
    return reason === undefined;
  };

  for (const step of policy.steps) {
    switch (step) {
      case 'continuity':
        candidates.push(...continuity(family, byId, options, eligible));
        break;
      case 'preferred-agency':
        preferred = preferredAgencyOf(family, policy);
        if (preferred) candidates.push(...rankAgencyWorkers(family, byId, policy, preferred, eligible));
        break;
      case 'most-family-members':
      case 'lowest-caseload':
        break; // ranking keys, applied within preferred-agency in the order the policy lists them
      case 'duty-team':
        if (preferred) {
          const team = policy.dutyTeam;
          const key = `duty-team:${preferred.agency}:${team}`;
          if (!excluded.has(key)) {
            candidates.push({
              kind: 'duty-team',
              agency: preferred.agency,
              team,
              step: 'duty-team',
              explanation: `offers the ${team} team of ${preferred.why} (duty team)`,
            });
          }
        }
        break;
    }
  }
  return { mainNeed, preferredAgency: preferred, candidates, passedOver };
}

function continuity(
  family: FamilySnapshot,
  byId: ReadonlyMap<string, Worker>,
  options: ChooseLeadOptions,
  eligible: (id: string) => boolean,
): LeadCandidate[] {
  const leads = new Map<string, string[]>();
  if (options.caseLeadWorkerId) leads.set(options.caseLeadWorkerId, ['this case']);
  for (const { person, involvement } of openInvolvements(family)) {
    if (!involvement.leadWorkerId) continue;
    const forWhom = leads.get(involvement.leadWorkerId) ?? [];
    const label = personLabel(person, family);
    if (!forWhom.includes(label)) forWhom.push(label);
    leads.set(involvement.leadWorkerId, forWhom);
  }
  const out: LeadCandidate[] = [];
  for (const [id, forWhom] of leads) {
    if (!eligible(id)) continue;
    const worker = byId.get(id)!;
    out.push({
      kind: 'worker',
      workerId: id,
      agency: worker.agency,
      team: worker.team,
      step: 'continuity',
      explanation: `keeps ${workerName(byId, id)}, already lead for ${listInWords(forWhom)} (continuity)`,
    });
  }
  return out;
}

function rankAgencyWorkers(
  family: FamilySnapshot,
  byId: ReadonlyMap<string, Worker>,
  policy: LeadWorkerPolicy,
  preferred: PreferredAgency,
  eligible: (id: string) => boolean,
): LeadCandidate[] {
  const familyWith = new Map<string, Set<string>>();
  for (const { person, involvement } of openInvolvements(family)) {
    if (involvement.agency !== preferred.agency) continue;
    for (const id of workersOf(involvement)) {
      familyWith.set(id, (familyWith.get(id) ?? new Set()).add(person.personId));
    }
  }
  const pool = [...familyWith.keys()].filter(eligible).map((id) => byId.get(id)!);
  const keys = policy.steps.filter(
    (s): s is 'most-family-members' | 'lowest-caseload' => s === 'most-family-members' || s === 'lowest-caseload',
  );
  const compareBy = (step: 'most-family-members' | 'lowest-caseload', a: Worker, b: Worker): number =>
    step === 'most-family-members' ? familyWith.get(b.id)!.size - familyWith.get(a.id)!.size : load(a) - load(b);
  const compare = (a: Worker, b: Worker): number => {
    for (const key of keys) {
      const order = compareBy(key, a, b);
      if (order !== 0) return order;
    }
    return a.id.localeCompare(b.id);
  };
  pool.sort(compare);

  const members = family.persons.length;
  return pool.map((worker, i) => {
    // The step that placed this worker is the first ranking key that tells it from its neighbour.
    const neighbour = pool[i + 1] ?? pool[i - 1];
    const decided = neighbour ? keys.find((key) => compareBy(key, worker, neighbour) !== 0) : undefined;
    const step: LeadPolicyStep =
      decided ?? (neighbour && keys.length > 0 ? keys[keys.length - 1]! : 'preferred-agency');
    const facts = [
      `works with ${familyWith.get(worker.id)!.size} of the family's ${members} members`,
      `caseload ${worker.caseload} of ${worker.capacity}`,
    ];
    const tie = neighbour && !decided ? ', level with another worker, so ordered by worker id' : '';
    return {
      kind: 'worker' as const,
      workerId: worker.id,
      agency: worker.agency,
      team: worker.team,
      step,
      explanation: `offers ${worker.name ?? worker.id} at ${preferred.why}; ${facts.join('; ')}${tie} (${LEAD_POLICY_STEP_LABELS[step]})`,
    };
  });
}

function workersOf(involvement: AgencyInvolvement): string[] {
  return involvement.leadWorkerId && !involvement.workerIds.includes(involvement.leadWorkerId)
    ? [...involvement.workerIds, involvement.leadWorkerId]
    : involvement.workerIds;
}

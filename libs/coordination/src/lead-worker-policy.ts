import { BrokerError, DEFAULT_NEED_CODES, SECTORS, type Sector } from '@joinedup/core';

/**
 * The lead-worker policy is configuration (config/coordination/lead-worker-policy.json, and an
 * admin API later). Steps run in the order given:
 *  - continuity: keep a worker who is already lead for any family member (or for this case);
 *  - preferred-agency: pick the agency whose sector the family's main need maps to;
 *  - most-family-members / lowest-caseload: rank that agency's involved workers, in this order;
 *  - duty-team: offer that agency's duty team when no named worker is left.
 */
export const LEAD_POLICY_STEPS = [
  'continuity',
  'preferred-agency',
  'most-family-members',
  'lowest-caseload',
  'duty-team',
] as const;
export type LeadPolicyStep = (typeof LEAD_POLICY_STEPS)[number];

export const LEAD_POLICY_STEP_LABELS: Record<LeadPolicyStep, string> = {
  continuity: 'continuity',
  'preferred-agency': 'preferred agency',
  'most-family-members': 'most family members',
  'lowest-caseload': 'lowest caseload',
  'duty-team': 'duty team',
};

export interface LeadWorkerPolicy {
  version: number;
  steps: LeadPolicyStep[];
  /** The family's main need is the first code here that any open involvement records. */
  needPriority: string[];
  preferredSectorByNeed: Partial<Record<string, Sector>>;
  /** The team name each agency uses for its duty team. */
  dutyTeam: string;
  offers: {
    /** Working days an offer stays open. */
    workingDays: number;
    /** Declined or expired offers in a row before the team manager is asked. */
    maxFailures: number;
  };
}

export const DEFAULT_OFFER_WORKING_DAYS = 2;
export const DEFAULT_MAX_OFFER_FAILURES = 3;

const RANKING_STEPS: readonly LeadPolicyStep[] = ['most-family-members', 'lowest-caseload', 'duty-team'];

/** Every problem in a candidate policy, in plain words; empty when it is valid. */
export function validateLeadWorkerPolicy(value: unknown, needCodes: readonly string[] = DEFAULT_NEED_CODES): string[] {
  const problems: string[] = [];
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return ['the policy must be a JSON object'];
  const policy = value as Record<string, unknown>;
  const known = new Set(needCodes);

  if (!Number.isInteger(policy.version) || (policy.version as number) < 1)
    problems.push('version: must be a whole number, 1 or more');

  if (!Array.isArray(policy.steps) || policy.steps.length === 0) problems.push('steps: must be a non-empty list');
  else {
    const steps = policy.steps as unknown[];
    steps.forEach((step, i) => {
      if (!LEAD_POLICY_STEPS.includes(step as LeadPolicyStep)) {
        problems.push(
          `steps[${i}]: unknown step ${JSON.stringify(step)}; known steps are ${LEAD_POLICY_STEPS.join(', ')}`,
        );
      } else if (steps.indexOf(step) !== i) problems.push(`steps[${i}]: ${String(step)} is listed twice`);
    });
    const at = (s: LeadPolicyStep) => steps.indexOf(s);
    if (at('continuity') > 0) problems.push('steps: continuity must come first, or a current lead could be replaced');
    for (const step of RANKING_STEPS) {
      if (at(step) >= 0 && (at('preferred-agency') < 0 || at(step) < at('preferred-agency'))) {
        problems.push(`steps: ${step} needs preferred-agency before it, to know whose workers to rank`);
      }
    }
    if (at('duty-team') >= 0 && at('duty-team') !== steps.length - 1)
      problems.push('steps: duty-team must be the last step');
  }

  if (!Array.isArray(policy.needPriority)) problems.push('needPriority: must be a list of need codes');
  else
    (policy.needPriority as unknown[]).forEach((code, i, all) => {
      if (typeof code !== 'string' || !known.has(code))
        problems.push(`needPriority[${i}]: unknown need code ${JSON.stringify(code)}`);
      else if (all.indexOf(code) !== i) problems.push(`needPriority[${i}]: ${code} is listed twice`);
    });

  const bySector = policy.preferredSectorByNeed;
  if (bySector === null || typeof bySector !== 'object' || Array.isArray(bySector)) {
    problems.push('preferredSectorByNeed: must be an object from need code to sector');
  } else {
    for (const [code, sector] of Object.entries(bySector)) {
      if (!known.has(code)) problems.push(`preferredSectorByNeed.${code}: unknown need code`);
      if (!SECTORS.includes(sector as Sector))
        problems.push(`preferredSectorByNeed.${code}: unknown sector ${JSON.stringify(sector)}`);
      if (Array.isArray(policy.needPriority) && !(policy.needPriority as unknown[]).includes(code)) {
        problems.push(
          `preferredSectorByNeed.${code}: the need is not in needPriority, so it can never be the main need`,
        );
      }
    }
  }

  if (typeof policy.dutyTeam !== 'string' || policy.dutyTeam.trim() === '') problems.push('dutyTeam: must name a team');

  const offers = policy.offers as Record<string, unknown> | undefined;
  if (offers === null || typeof offers !== 'object' || Array.isArray(offers))
    problems.push('offers: must be an object');
  else {
    const days = offers.workingDays;
    if (!Number.isInteger(days) || (days as number) < 1 || (days as number) > 20)
      problems.push('offers.workingDays: must be a whole number from 1 to 20');
    const failures = offers.maxFailures;
    if (!Number.isInteger(failures) || (failures as number) < 1 || (failures as number) > 10)
      problems.push('offers.maxFailures: must be a whole number from 1 to 10');
  }
  return problems;
}

/** The policy, or BrokerError CONFIG_INVALID listing every problem. `$comment` keys are ignored. */
export function parseLeadWorkerPolicy(
  value: unknown,
  needCodes: readonly string[] = DEFAULT_NEED_CODES,
): LeadWorkerPolicy {
  const problems = validateLeadWorkerPolicy(value, needCodes);
  if (problems.length > 0) throw new BrokerError('CONFIG_INVALID', 'The lead-worker policy is invalid', { problems });
  const policy = value as LeadWorkerPolicy;
  return {
    version: policy.version,
    steps: [...policy.steps],
    needPriority: [...policy.needPriority],
    preferredSectorByNeed: { ...policy.preferredSectorByNeed },
    dutyTeam: policy.dutyTeam,
    offers: { workingDays: policy.offers.workingDays, maxFailures: policy.offers.maxFailures },
  };
}

import type { GovernanceAnswer } from '@joinedup/coordination';
import type { AgreementRef, GovernanceEngine } from '@joinedup/governance';

export const CASE_PURPOSE = 'case-coordination';

/** What each agency may tell each other agency about the family, for `case-coordination`. */
export interface CaseGovernance {
  /** Per agency: may its involvement be part of the case at all (allowed towards at least one other agency). */
  answers: Record<string, GovernanceAnswer>;
  /** may(from, to): may `from`'s involvement be disclosed to `to`. An agency always knows its own. */
  may(from: string, to: string): boolean;
  /** The agreements relied on, for the audit trail. */
  agreements: AgreementRef[];
}

/**
 * Asks the live engine, for every ordered pair of involved agencies, whether the first may tell the
 * second of its involvement with the family's members. In memory: nothing is disclosed by asking; what
 * a notification then discloses is re-checked when it is sent, and recorded in the audit trail.
 */
export function caseGovernance(
  engine: GovernanceEngine,
  agencies: readonly string[],
  subjects: ReadonlyMap<string, readonly string[]>,
  at: Date,
): CaseGovernance {
  const allowed = new Set<string>();
  const answers: Record<string, GovernanceAnswer> = {};
  const agreements = new Map<string, AgreementRef>();
  for (const from of agencies) {
    let firstDeny: string | undefined;
    let via: AgreementRef | undefined;
    for (const to of agencies) {
      if (to === from) continue;
      const decision = engine.decide({
        purpose: CASE_PURPOSE,
        fromAgency: from,
        toAgency: to,
        subject: subjects.get(from) ?? [],
        categories: ['involvement'],
        at,
      });
      if (decision.decision === 'allow') {
        allowed.add(`${from}\u0000${to}`);
        if (decision.agreement) {
          via ??= decision.agreement;
          agreements.set(`${decision.agreement.id}@${decision.agreement.version}`, decision.agreement);
        }
      } else firstDeny ??= decision.reasons[0] ?? 'no agreement allows it';
    }
    answers[from] = via
      ? { allowed: true, reason: `agreement ${via.id} v${via.version} in force` }
      : { allowed: false, reason: firstDeny ?? 'no other agency is involved' };
  }
  return {
    answers,
    may: (from, to) => from === to || allowed.has(`${from}\u0000${to}`),
    agreements: [...agreements.values()],
  };
}

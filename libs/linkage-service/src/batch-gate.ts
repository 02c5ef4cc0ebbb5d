import type { Decision, DecisionRequest, GovernanceEngine } from '@joinedup/governance';

/** A cross-agency pair for the identity-matching gate: its two agencies and its two record refs. */
export interface GatePair {
  x: string;
  y: string;
  subject: string[];
}

/** One direction's answer shared by a group of pairs: recorded as one decision row naming all their refs. */
export interface GateGroup {
  request: DecisionRequest & { subject: string[] };
  decision: Decision;
  pairs: number;
}

export interface BatchGate {
  /** Per pair: identity matching allowed both ways. */
  answers: boolean[];
  groups: GateGroup[];
}

/** As intake names at most 2,000 records in one received event. */
export const PAIRS_PER_GROUP = 1000;

/**
 * The gate for a batch re-link, decided in memory: every cross-agency pair asked both ways, then the
 * answers grouped by direction and outcome (same decision, agreement, consent and reasons) into rows of
 * up to PAIRS_PER_GROUP pairs. A re-link of a large place asks millions of questions with a few answers;
 * one row per answer keeps the record complete (every ref is named under the answer it got) without a
 * decision row and audit event per pair. Nothing is recorded here: a dry run discloses nothing.
 */
export function decideBatchGate(engine: GovernanceEngine, pairs: readonly GatePair[], at: Date): BatchGate {
  const open = new Map<string, { request: DecisionRequest; decision: Decision; refs: Set<string>; pairs: number }>();
  const groups: GateGroup[] = [];
  const close = (key: string) => {
    const g = open.get(key)!;
    groups.push({ request: { ...g.request, subject: [...g.refs] }, decision: g.decision, pairs: g.pairs });
    open.delete(key);
  };
  const answers = pairs.map(({ x, y, subject }) => {
    let allowed = true;
    for (const [fromAgency, toAgency] of [
      [x, y],
      [y, x],
    ] as const) {
      const request: DecisionRequest = {
        purpose: 'identity-matching',
        fromAgency,
        toAgency,
        subject,
        categories: ['identity'],
        at,
      };
      const decision = engine.decide(request);
      if (decision.decision !== 'allow') allowed = false;
      const key = answerKey(fromAgency, toAgency, decision);
      const group = open.get(key) ?? open.set(key, { request, decision, refs: new Set(), pairs: 0 }).get(key)!;
      for (const ref of subject) group.refs.add(ref);
      group.pairs += 1;
      if (group.pairs === PAIRS_PER_GROUP) close(key);
    }
    return allowed;
  });
  for (const key of [...open.keys()]) close(key);
  return { answers, groups };
}

/** Marks a missing value (null), which no agency id, agreement, category, field or reason holds. */
const NONE = '\u0002';
const list = (values: readonly string[] | null) => (values === null ? NONE : values.join('\u0001'));

/**
 * What makes two answers the same group: direction, outcome, agreement version, consent, categories,
 * fields and reasons, as one string. Joined by control characters that none of them holds (a batch makes
 * a million of these keys: JSON.stringify of the same parts took most of the gate's time).
 */
export function answerKey(fromAgency: string, toAgency: string, d: Decision): string {
  return `${fromAgency}\u0000${toAgency}\u0000${d.decision}\u0000${d.agreement?.id ?? NONE}\u0000${
    d.agreement?.version ?? NONE
  }\u0000${d.consentRef ?? NONE}\u0000${list(d.categories)}\u0000${list(d.fields)}\u0000${list(d.reasons)}`;
}

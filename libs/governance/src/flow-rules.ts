import type { DataCategory } from '@joinedup/core';
import { describeRef, type Agreement, type AgreementFlow, type Purpose } from './agreement.js';
import type { ConsentFinding } from './consent.js';
import { missingCondition } from './lawful-basis.js';

/**
 * The rules for one agreement flow, prepared once when the index is built so that a decision only
 * compares numbers and looks up sets.
 */
export interface FlowCandidate {
  agreement: Agreement;
  flow: AgreementFlow;
  purpose: Purpose;
  label: string;
  categories: ReadonlySet<DataCategory>;
  /** Special categories the flow names but the lawful basis does not cover, with the reason. */
  conditionGaps: ReadonlyMap<DataCategory, string>;
  validFromMs: number;
  validToMs: number;
  reviewMs: number;
  /** Time the safeguarding override stops applying; -Infinity when there is no usable override. */
  overrideUntilMs: number;
}

export function flowCandidates(a: Agreement): FlowCandidate[] {
  const label = describeRef(a);
  const gaps = (f: AgreementFlow): Map<DataCategory, string> => {
    const m = new Map<DataCategory, string>();
    for (const c of f.categories) {
      const missing = missingCondition(c, a.lawfulBasis);
      if (missing) m.set(c, missing);
    }
    return m;
  };
  const override = a.consentRule === 'safeguarding-override' ? a.override : undefined;
  // An override without a justification is no override at all.
  const overrideUntilMs = override && override.justification.trim() !== '' ? override.expiresAt.getTime() : -Infinity;
  const validFromMs = a.validFrom.getTime();
  const validToMs = a.validTo.getTime();
  const reviewMs = a.reviewDate.getTime();
  return a.flows.flatMap((flow) => {
    // Shared by every purpose of the flow: the index holds one candidate per (purpose, flow).
    const categories = new Set(flow.categories);
    const conditionGaps = gaps(flow);
    return a.purposes.map((purpose) => ({
      agreement: a,
      flow,
      purpose,
      label,
      categories,
      conditionGaps,
      validFromMs,
      validToMs,
      reviewMs,
      overrideUntilMs,
    }));
  });
}

const day = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/** How far a candidate got: higher is closer to allowing, so the best explanation can be chosen. */
export const Stage = { NotInForce: 0, NoCategories: 1, NoConsent: 2, Allowed: 3 } as const;
export type Stage = (typeof Stage)[keyof typeof Stage];

export interface Evaluation {
  candidate: FlowCandidate;
  stage: Stage;
  permitted: DataCategory[];
  withheld: DataCategory[];
  reasons: string[];
  consentRef: string | null;
}

/** Why the agreement is not in force at `t`, or null when it is. */
export function notInForce(c: FlowCandidate, t: number): string | null {
  const a = c.agreement;
  if (a.status !== 'active') return `${c.label} is ${a.status}, not active.`;
  if (t < c.validFromMs) return `${c.label} does not start until ${day(c.validFromMs)}.`;
  if (t >= c.validToMs) return `${c.label} expired on ${day(c.validToMs)}.`;
  return null;
}

export function evaluateCandidate(
  c: FlowCandidate,
  requested: readonly DataCategory[],
  t: number,
  consent: () => ConsentFinding,
): Evaluation {
  const result: Evaluation = {
    candidate: c,
    stage: Stage.NotInForce,
    permitted: [],
    withheld: [],
    reasons: [],
    consentRef: null,
  };
  const off = notInForce(c, t);
  if (off) {
    result.reasons.push(off);
    return result;
  }
  const { from, to } = c.flow;
  for (const category of requested) {
    const gap = c.conditionGaps.get(category);
    if (!c.categories.has(category)) {
      result.withheld.push(category);
      result.reasons.push(`${category} withheld: ${c.label} does not share it from ${from} to ${to}.`);
    } else if (gap) {
      result.withheld.push(category);
      result.reasons.push(`${category} withheld: ${gap}.`);
    } else {
      result.permitted.push(category);
    }
  }
  if (result.permitted.length === 0) {
    result.stage = Stage.NoCategories;
    result.reasons.push(`Nothing requested is covered by ${c.label}.`);
    return result;
  }
  const consentReasons = consentOutcome(c, t, consent, result);
  result.reasons.push(...consentReasons);
  if (result.stage === Stage.NoConsent) return result;
  result.stage = Stage.Allowed;
  result.reasons.unshift(
    `${c.label} ("${c.agreement.title}") lets ${from} share ${result.permitted.join(', ')} with ${to} for ${c.purpose}` +
      ` (Article 6 ${c.agreement.lawfulBasis.article6}; gateway ${c.agreement.lawfulBasis.gateway}).`,
  );
  if (t >= c.reviewMs) result.reasons.push(`${c.label} was due for review on ${day(c.reviewMs)}.`);
  return result;
}

/** Applies the agreement's consent rule; sets stage NoConsent and consentRef on the evaluation. */
function consentOutcome(c: FlowCandidate, t: number, consent: () => ConsentFinding, e: Evaluation): string[] {
  const rule = c.agreement.consentRule;
  switch (rule) {
    case 'not-required':
      return [`Consent is not required: ${c.label} relies on Article 6 ${c.agreement.lawfulBasis.article6}.`];
    case 'safeguarding-override': {
      if (t < c.overrideUntilMs) {
        const found = consent();
        const overriding =
          found.state === 'refused' || found.state === 'withdrawn'
            ? ` It overrides consent ${found.state} in ${found.record.id}.`
            : '';
        return [
          `Safeguarding override until ${day(c.overrideUntilMs)}: ${c.agreement.override?.justification ?? ''}.${overriding}`,
        ];
      }
      const why = Number.isFinite(c.overrideUntilMs)
        ? `The safeguarding override expired on ${day(c.overrideUntilMs)}`
        : 'The safeguarding override has no justification, so it does not apply';
      return [`${why}; explicit consent is needed instead.`, ...explicitConsent(c, consent(), e)];
    }
    case 'explicit-consent':
      return explicitConsent(c, consent(), e);
  }
}

function explicitConsent(c: FlowCandidate, found: ConsentFinding, e: Evaluation): string[] {
  const to = c.flow.to;
  switch (found.state) {
    case 'given':
      e.consentRef = found.record.id;
      return [`Consent ${found.record.id} given on ${day(found.record.at.getTime())} covers sharing with ${to}.`];
    case 'none':
      e.stage = Stage.NoConsent;
      return [`${c.label} needs explicit consent for ${c.purpose}, and none is recorded that covers ${to}.`];
    case 'expired':
      e.stage = Stage.NoConsent;
      return [`Consent ${found.record.id} expired on ${day(found.record.expiresAt?.getTime() ?? 0)}.`];
    case 'refused':
    case 'withdrawn':
      e.stage = Stage.NoConsent;
      return [`Consent was ${found.state} on ${day(found.record.at.getTime())} (${found.record.id}).`];
  }
}

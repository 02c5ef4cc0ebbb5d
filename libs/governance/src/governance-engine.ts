import type { DataCategory } from '@joinedup/core';
import { agreementRef, type Agreement, type AgreementRef, type Purpose } from './agreement.js';
import { AgreementIndex } from './agreement-index.js';
import { ConsentRegister, type ConsentRecord } from './consent.js';
import { Stage, evaluateCandidate, type Evaluation } from './flow-rules.js';

export interface DecisionRequest {
  purpose: Purpose;
  fromAgency: string;
  toAgency: string;
  /** Person id and/or source record refs of the subject; consent recorded against any of them counts. */
  subject: string | readonly string[];
  categories: readonly DataCategory[];
  at: Date;
}

export interface Decision {
  decision: 'allow' | 'deny';
  /** Requested categories that may flow (requested ∩ the flow's categories, lawful basis permitting). */
  categories: DataCategory[];
  /** Requested categories that may not flow; each has a reason. */
  withheld: DataCategory[];
  /** Fields the flow is narrowed to; null means every field of the permitted categories. */
  fields: string[] | null;
  /** Plain English, for caseworkers, IG officers and the audit log. */
  reasons: string[];
  /** The agreement version the decision rests on; null when no agreement was in force. */
  agreement: AgreementRef | null;
  /** The consent record relied on, if the agreement needed consent. */
  consentRef: string | null;
}

/** Better evaluations first; agreement id breaks ties so the answer never depends on input order. */
function better(x: Evaluation, y: Evaluation): number {
  const ax = x.candidate.agreement.id;
  const ay = y.candidate.agreement.id;
  return y.stage - x.stage || y.permitted.length - x.permitted.length || (ax < ay ? -1 : ax > ay ? 1 : 0);
}

/**
 * Agreements and consent indexed for decisions. Immutable: `withAgreements` and `withConsents` return
 * a new engine, so a decision always runs against one consistent snapshot. Decisions use the latest
 * version of each agreement; earlier versions are history.
 */
export class GovernanceEngine {
  private constructor(
    private readonly agreements: AgreementIndex,
    private readonly consents: ConsentRegister,
  ) {}

  static create(agreements: readonly Agreement[], consents: readonly ConsentRecord[] = []): GovernanceEngine {
    return new GovernanceEngine(AgreementIndex.of(agreements), ConsentRegister.of(consents));
  }

  /** A new engine with these agreement versions replacing older versions of the same ids. */
  withAgreements(versions: readonly Agreement[]): GovernanceEngine {
    return new GovernanceEngine(this.agreements.with(versions), this.consents);
  }

  /** A new engine with these consent records added; the agreement index is shared, not rebuilt. */
  withConsents(records: readonly ConsentRecord[]): GovernanceEngine {
    return new GovernanceEngine(this.agreements, this.consents.with(records));
  }

  agreement(id: string): Agreement | undefined {
    return this.agreements.agreement(id);
  }

  get agreementCount(): number {
    return this.agreements.size;
  }

  /** Default deny: data moves only when an agreement in force covers it and its consent rule is met. */
  decide(request: DecisionRequest): Decision {
    const { purpose, fromAgency: from, toAgency: to, at } = request;
    const requested = [...new Set(request.categories)];
    if (from === to) {
      return allow(requested, [`${from} is using its own data; no agreement is needed.`]);
    }
    if (requested.length === 0) return deny(['No data categories were requested.'], null, requested);

    const candidates = this.agreements.candidates(purpose, from, to);
    if (!candidates) return deny(this.noAgreementReasons(purpose, from, to), null, requested);

    const t = at.getTime();
    // Consent is looked up at most once, and only if some agreement needs it.
    let finding: ReturnType<ConsentRegister['find']> | undefined;
    const consent = () => (finding ??= this.consents.find(request.subject, purpose, to, at));
    let best: Evaluation | undefined;
    const all: Evaluation[] = [];
    for (const c of candidates) {
      const e = evaluateCandidate(c, requested, t, consent);
      all.push(e);
      if (!best || better(e, best) < 0) best = e;
    }
    const chosen = best!;
    if (chosen.stage === Stage.Allowed) {
      return {
        decision: 'allow',
        categories: chosen.permitted,
        withheld: chosen.withheld,
        fields: chosen.candidate.flow.fields ? [...chosen.candidate.flow.fields] : null,
        reasons: chosen.reasons,
        agreement: agreementRef(chosen.candidate.agreement),
        consentRef: chosen.consentRef,
      };
    }
    const reasons = all.length === 1 ? chosen.reasons : all.sort(better).flatMap((e) => e.reasons);
    const ref = chosen.stage === Stage.NotInForce ? null : agreementRef(chosen.candidate.agreement);
    const lead =
      chosen.stage === Stage.NotInForce
        ? `No agreement in force lets ${from} share with ${to} for ${purpose}.`
        : `${from} may not share this with ${to} for ${purpose}.`;
    return deny([lead, ...reasons], ref, requested);
  }

  private noAgreementReasons(purpose: string, from: string, to: string): string[] {
    const reasons = [`No agreement lets ${from} share with ${to} for ${purpose}.`];
    if (this.agreements.candidates(purpose, to, from)) {
      reasons.push(`An agreement covers ${to} -> ${from} for ${purpose}, but not this direction.`);
    }
    const others = this.agreements.purposesBetween(from, to);
    if (others.length > 0) reasons.push(`Agreements from ${from} to ${to} cover other purposes: ${others.join(', ')}.`);
    return reasons;
  }
}

function allow(categories: DataCategory[], reasons: string[]): Decision {
  return { decision: 'allow', categories, withheld: [], fields: null, reasons, agreement: null, consentRef: null };
}

/** On a deny everything requested is withheld. */
function deny(reasons: string[], agreement: AgreementRef | null, withheld: DataCategory[]): Decision {
  return { decision: 'deny', categories: [], withheld, fields: null, reasons, agreement, consentRef: null };
}

/** Builds the decision index once from the register of agreements and consent records. */
export const createPolicyIndex = (
  agreements: readonly Agreement[],
  consents: readonly ConsentRecord[] = [],
): GovernanceEngine => GovernanceEngine.create(agreements, consents);

import type { DataCategory } from '@joinedup/core';
import { agreementRef, type Agreement, type AgreementRef, type Purpose } from './agreement.js';
import { ConsentRegister, type ConsentRecord } from './consent.js';
import { Stage, evaluateCandidate, flowCandidates, type Evaluation, type FlowCandidate } from './flow-rules.js';

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

const keyOf = (purpose: string, from: string, to: string): string => `${purpose}\u0000${from}\u0000${to}`;
const pairOf = (from: string, to: string): string => `${from}\u0000${to}`;

/** Better evaluations first; agreement id breaks ties so the answer never depends on input order. */
function better(x: Evaluation, y: Evaluation): number {
  const ax = x.candidate.agreement.id;
  const ay = y.candidate.agreement.id;
  return y.stage - x.stage || y.permitted.length - x.permitted.length || (ax < ay ? -1 : ax > ay ? 1 : 0);
}

/**
 * Agreements and consent indexed for decisions. Immutable: `withAgreements` and `withConsents` return
 * a new engine, so a decision always runs against one consistent snapshot. Only the latest version
 * of each agreement is indexed; earlier versions are history.
 */
export class GovernanceEngine {
  private constructor(
    private readonly latest: ReadonlyMap<string, Agreement>,
    private readonly byKey: ReadonlyMap<string, readonly FlowCandidate[]>,
    /** purposes covered per direction, to explain a deny in terms an IG officer can act on */
    private readonly purposesByPair: ReadonlyMap<string, ReadonlySet<string>>,
    private readonly consents: ConsentRegister,
  ) {}

  static create(agreements: readonly Agreement[], consents: readonly ConsentRecord[] = []): GovernanceEngine {
    return GovernanceEngine.build(latestVersions(new Map(), agreements), ConsentRegister.of(consents));
  }

  private static build(latest: Map<string, Agreement>, consents: ConsentRegister): GovernanceEngine {
    const byKey = new Map<string, FlowCandidate[]>();
    const purposesByPair = new Map<string, Set<string>>();
    const ids = [...latest.keys()].sort();
    for (const id of ids) {
      const a = latest.get(id)!;
      // Every status is indexed: only active ones allow, but the others explain a deny.
      for (const c of flowCandidates(a)) {
        const key = keyOf(c.purpose, c.flow.from, c.flow.to);
        const list = byKey.get(key);
        if (list) list.push(c);
        else byKey.set(key, [c]);
        const pair = pairOf(c.flow.from, c.flow.to);
        const purposes = purposesByPair.get(pair) ?? new Set<string>();
        purposes.add(c.purpose);
        purposesByPair.set(pair, purposes);
      }
    }
    return new GovernanceEngine(latest, byKey, purposesByPair, consents);
  }

  /** A new engine with these agreement versions replacing older versions of the same ids. */
  withAgreements(versions: readonly Agreement[]): GovernanceEngine {
    return GovernanceEngine.build(latestVersions(new Map(this.latest), versions), this.consents);
  }

  /** A new engine with these consent records added; the agreement index is shared, not rebuilt. */
  withConsents(records: readonly ConsentRecord[]): GovernanceEngine {
    return new GovernanceEngine(this.latest, this.byKey, this.purposesByPair, this.consents.with(records));
  }

  agreement(id: string): Agreement | undefined {
    return this.latest.get(id);
  }

  get agreementCount(): number {
    return this.latest.size;
  }

  /** Default deny: data moves only when an agreement in force covers it and its consent rule is met. */
  decide(request: DecisionRequest): Decision {
    const { purpose, fromAgency: from, toAgency: to, at } = request;
    const requested = [...new Set(request.categories)];
    if (from === to) {
      return allow(requested, [`${from} is using its own data; no agreement is needed.`]);
    }
    if (requested.length === 0) return deny(['No data categories were requested.'], null, requested);

    const candidates = this.byKey.get(keyOf(purpose, from, to));
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
    return deny(
      [`No agreement in force lets ${from} share this with ${to} for ${purpose}.`, ...reasons],
      ref,
      requested,
    );
  }

  private noAgreementReasons(purpose: string, from: string, to: string): string[] {
    const reasons = [`No agreement lets ${from} share with ${to} for ${purpose}.`];
    if (this.byKey.has(keyOf(purpose, to, from))) {
      reasons.push(`An agreement covers ${to} -> ${from} for ${purpose}, but not this direction.`);
    }
    const others = this.purposesByPair.get(pairOf(from, to));
    if (others)
      reasons.push(`Agreements from ${from} to ${to} cover other purposes: ${[...others].sort().join(', ')}.`);
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

function latestVersions(into: Map<string, Agreement>, agreements: readonly Agreement[]): Map<string, Agreement> {
  for (const a of agreements) {
    const known = into.get(a.id);
    if (!known || known.version < a.version) into.set(a.id, a);
  }
  return into;
}

/** Builds the decision index once from the register of agreements and consent records. */
export const createPolicyIndex = (
  agreements: readonly Agreement[],
  consents: readonly ConsentRecord[] = [],
): GovernanceEngine => GovernanceEngine.create(agreements, consents);

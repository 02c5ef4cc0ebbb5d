import type { Purpose } from './agreement.js';

export const CONSENT_STATES = ['given', 'refused', 'withdrawn'] as const;
export type ConsentState = (typeof CONSENT_STATES)[number];

/** A subject's recorded decision about one purpose. Records are never edited; a new one supersedes. */
export interface ConsentRecord {
  id: string;
  /** A person id or a source record reference (`agency/externalId`). */
  subject: string;
  purpose: Purpose;
  state: ConsentState;
  /** Receiving agencies the decision is about, or every agency. */
  scope: readonly string[] | 'all';
  /** Person id of the worker who recorded it. */
  recordedBy: string;
  /** Where the signed form or recorded conversation is kept. */
  evidenceRef: string;
  at: Date;
  expiresAt?: Date;
}

const blank = (s: unknown): boolean => typeof s !== 'string' || s.trim() === '';
const isDate = (d: unknown): d is Date => d instanceof Date && !Number.isNaN(d.getTime());

/** Every problem with a consent record before it is stored, in plain English; empty means valid. */
export function consentRecordProblems(r: ConsentRecord): string[] {
  const problems: string[] = [];
  if (blank(r.id)) problems.push('The consent record needs an id.');
  if (blank(r.subject)) problems.push('Say whose consent this is.');
  if (blank(r.purpose)) problems.push('Say which purpose the consent is for.');
  if (!(CONSENT_STATES as readonly string[]).includes(r.state)) {
    problems.push(`Consent state must be one of ${CONSENT_STATES.join(', ')}.`);
  }
  if (r.scope !== 'all' && (r.scope.length === 0 || r.scope.some(blank))) {
    problems.push('Scope must be "all" or a list of agencies.');
  }
  if (blank(r.recordedBy)) problems.push('Say who recorded the consent.');
  // Consent without evidence cannot be shown to the ICO, so it cannot be relied on.
  if (blank(r.evidenceRef)) problems.push('Give a reference to the evidence of consent.');
  if (!isDate(r.at)) problems.push('at must be a date.');
  if (r.expiresAt !== undefined && (!isDate(r.expiresAt) || (isDate(r.at) && r.expiresAt <= r.at))) {
    problems.push('expiresAt, when given, must be a date after at.');
  }
  return problems;
}

/** What the consent register says for one subject, purpose and receiving agency at one moment. */
export type ConsentFinding =
  { state: 'none' } | { state: ConsentState; record: ConsentRecord } | { state: 'expired'; record: ConsentRecord };

// Refusals and withdrawals win ties: when in doubt, do not share.
const STATE_RANK: Record<ConsentState, number> = { given: 0, refused: 1, withdrawn: 1 };

/** Newest first; equal times put refusals first, then ids, so the order never depends on input order. */
function newestFirst(a: ConsentRecord, b: ConsentRecord): number {
  return (
    b.at.getTime() - a.at.getTime() ||
    STATE_RANK[b.state] - STATE_RANK[a.state] ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  );
}

const coversRecipient = (r: ConsentRecord, toAgency: string): boolean =>
  r.scope === 'all' || r.scope.includes(toAgency);

/**
 * Consent records indexed by subject and purpose. A record applies to a flow when its scope is
 * `all` or names the receiving agency: consent is about who gets to see the data.
 */
export class ConsentRegister {
  private constructor(private readonly bySubject: ReadonlyMap<string, ReadonlyMap<string, ConsentRecord[]>>) {}

  static of(records: readonly ConsentRecord[]): ConsentRegister {
    return ConsentRegister.empty().with(records);
  }

  static empty(): ConsentRegister {
    return new ConsentRegister(new Map());
  }

  /** A new register with these records added; this one is unchanged, and only touched subjects are copied. */
  with(records: readonly ConsentRecord[]): ConsentRegister {
    const bySubject = new Map(this.bySubject);
    const touched = new Map<string, Map<string, ConsentRecord[]>>();
    for (const r of records) {
      let byPurpose = touched.get(r.subject);
      if (!byPurpose) {
        byPurpose = new Map(
          [...(bySubject.get(r.subject) ?? new Map<string, ConsentRecord[]>())].map(([p, l]) => [p, [...l]]),
        );
        touched.set(r.subject, byPurpose);
        bySubject.set(r.subject, byPurpose);
      }
      const list = byPurpose.get(r.purpose) ?? [];
      if (!list.some((x) => x.id === r.id)) list.push(r);
      byPurpose.set(r.purpose, list);
    }
    for (const byPurpose of touched.values()) for (const list of byPurpose.values()) list.sort(newestFirst);
    return new ConsentRegister(bySubject);
  }

  /** The latest record that applies at `at` wins; records made after `at` are not yet known. */
  find(subjects: string | readonly string[], purpose: Purpose, toAgency: string, at: Date): ConsentFinding {
    const t = at.getTime();
    let best: ConsentRecord | undefined;
    for (const subject of typeof subjects === 'string' ? [subjects] : subjects) {
      for (const r of this.bySubject.get(subject)?.get(purpose) ?? []) {
        if (r.at.getTime() > t || !coversRecipient(r, toAgency)) continue;
        if (!best || newestFirst(r, best) < 0) best = r;
        break; // lists are newest first, so the first applicable record is this subject's latest
      }
    }
    if (!best) return { state: 'none' };
    if (best.expiresAt && best.expiresAt.getTime() <= t) return { state: 'expired', record: best };
    return { state: best.state, record: best };
  }

  get size(): number {
    let n = 0;
    for (const byPurpose of this.bySubject.values()) for (const list of byPurpose.values()) n += list.length;
    return n;
  }
}

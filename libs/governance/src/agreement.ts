import type { DataCategory } from '@joinedup/core';
import type { LawfulBasis } from './lawful-basis.js';

/** Purposes the broker itself asks about; agreements may name others as free strings. */
export const KNOWN_PURPOSES = ['identity-matching', 'case-coordination', 'safeguarding'] as const;
export type KnownPurpose = (typeof KNOWN_PURPOSES)[number];
// `string & {}` keeps editor completion for the known purposes while allowing any string.
export type Purpose = KnownPurpose | (string & {});

export const CONSENT_RULES = ['explicit-consent', 'not-required', 'safeguarding-override'] as const;
export type ConsentRule = (typeof CONSENT_RULES)[number];

/**
 * draft -> awaiting-approval -> active -> suspended <-> active; active/suspended -> expired or retired.
 * A draft or awaiting agreement may also be retired (abandoned).
 */
export const AGREEMENT_STATUSES = ['draft', 'awaiting-approval', 'active', 'suspended', 'expired', 'retired'] as const;
export type AgreementStatus = (typeof AGREEMENT_STATUSES)[number];

/** One direction of sharing: `from` may disclose these categories to `to`. */
export interface AgreementFlow {
  from: string;
  to: string;
  categories: DataCategory[];
  /** Narrows the flow to these fields; absent means every field of the categories. */
  fields?: string[];
}

/** Sharing without consent because of a safeguarding risk: always justified, always time-limited. */
export interface SafeguardingOverride {
  justification: string;
  expiresAt: Date;
}

export interface Approval {
  agency: string;
  /** Person id of the IG officer who approved. */
  by: string;
  at: Date;
}

export interface PersonAtAgency {
  person: string;
  agency: string;
}

/** Someone acting on an agreement; `roles` comes from the caller's verified identity. */
export interface Actor extends PersonAtAgency {
  roles: readonly string[];
}

export const IG_OFFICER_ROLE = 'ig-officer';

export interface AgreementExemptions {
  /** Categories withheld from subject access responses (e.g. where disclosure would prejudice crime prevention). */
  subjectAccess?: DataCategory[];
  /** Why, in words an IG officer would write in the register. */
  note?: string;
}

/** What the last change to an agreement was: every version records who made it, when and why. */
export interface AgreementChange {
  by: string;
  at: Date;
  description: string;
}

/** One version of a data-sharing agreement. Versions are immutable: every change makes the next one. */
export interface Agreement {
  id: string;
  version: number;
  title: string;
  parties: string[];
  purposes: Purpose[];
  flows: AgreementFlow[];
  lawfulBasis: LawfulBasis;
  consentRule: ConsentRule;
  /** Required when consentRule is `safeguarding-override`. */
  override?: SafeguardingOverride;
  validFrom: Date;
  validTo: Date;
  reviewDate: Date;
  dpiaReference: string;
  status: AgreementStatus;
  approvals: Approval[];
  author: PersonAtAgency;
  exemptions?: AgreementExemptions;
  change: AgreementChange;
}

export interface AgreementRef {
  id: string;
  version: number;
}

export const agreementRef = (a: Agreement): AgreementRef => ({ id: a.id, version: a.version });
export const describeRef = (a: AgreementRef): string => `agreement ${a.id} v${a.version}`;

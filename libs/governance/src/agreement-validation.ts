import { BrokerError, DATA_CATEGORIES, type DataCategory } from '@joinedup/core';
import { CONSENT_RULES, type Agreement } from './agreement.js';
import { ARTICLE6_BASES, ARTICLE9_CONDITIONS, SCHEDULE1_CONDITIONS, missingCondition } from './lawful-basis.js';

const CATEGORIES: ReadonlySet<string> = new Set(DATA_CATEGORIES);
const isDate = (d: unknown): d is Date => d instanceof Date && !Number.isNaN(d.getTime());
const blank = (s: unknown): boolean => typeof s !== 'string' || s.trim() === '';
const day = (d: Date): string => d.toISOString().slice(0, 10);

/** The content an author writes; the lifecycle owns id, version, status, approvals and change. */
export type AgreementContent = Omit<Agreement, 'id' | 'version' | 'status' | 'approvals' | 'change' | 'author'>;

/**
 * Every problem with an agreement's content, in plain English, so an IG officer can fix them all
 * in one pass. Empty means the agreement may go forward for approval.
 */
export function agreementProblems(a: AgreementContent & Pick<Agreement, 'author'>): string[] {
  const problems: string[] = [];
  if (blank(a.title)) problems.push('The agreement needs a title.');

  const parties = new Set(a.parties);
  if (parties.size < 2) problems.push('An agreement needs at least two parties.');
  if (parties.size !== a.parties.length) problems.push('Each party may be listed only once.');
  if (!parties.has(a.author.agency)) problems.push(`The author's agency ${a.author.agency} is not a party.`);

  if (a.purposes.length === 0) problems.push('Name at least one purpose.');
  if (a.purposes.some(blank)) problems.push('Purposes cannot be blank.');
  if (new Set(a.purposes).size !== a.purposes.length) problems.push('Each purpose may be listed only once.');

  problems.push(...flowProblems(a, parties));
  problems.push(...basisProblems(a));
  problems.push(...consentProblems(a));

  if (!isDate(a.validFrom)) problems.push('validFrom must be a date.');
  if (!isDate(a.validTo)) problems.push('validTo must be a date.');
  if (!isDate(a.reviewDate)) problems.push('reviewDate must be a date.');
  if (isDate(a.validFrom) && isDate(a.validTo) && a.validTo <= a.validFrom) {
    problems.push(`validTo (${day(a.validTo)}) must be after validFrom (${day(a.validFrom)}).`);
  }
  if (isDate(a.reviewDate) && isDate(a.validTo) && a.reviewDate > a.validTo) {
    problems.push(`The review date (${day(a.reviewDate)}) must not be after validTo (${day(a.validTo)}).`);
  }
  if (blank(a.dpiaReference)) problems.push('Give the reference of the data protection impact assessment.');

  for (const c of a.exemptions?.subjectAccess ?? []) {
    if (!CATEGORIES.has(c)) problems.push(`Subject access exemption names an unknown category ${c}.`);
  }
  return problems;
}

function flowProblems(a: AgreementContent, parties: ReadonlySet<string>): string[] {
  const problems: string[] = [];
  if (a.flows.length === 0) problems.push('Describe at least one flow of data between parties.');
  const directions = new Set<string>();
  for (const f of a.flows) {
    const label = `Flow ${f.from} -> ${f.to}`;
    if (!parties.has(f.from)) problems.push(`${label}: ${f.from} is not a party.`);
    if (!parties.has(f.to)) problems.push(`${label}: ${f.to} is not a party.`);
    if (f.from === f.to) problems.push(`${label}: an agency does not need an agreement with itself.`);
    // One flow per direction, so a decision can name exactly which flow allowed it.
    if (directions.has(`${f.from}>${f.to}`)) problems.push(`${label} is listed more than once; merge them.`);
    directions.add(`${f.from}>${f.to}`);
    if (f.categories.length === 0) problems.push(`${label} shares no data categories.`);
    for (const c of f.categories) {
      if (!CATEGORIES.has(c)) problems.push(`${label}: unknown data category ${c}.`);
    }
    if (new Set(f.categories).size !== f.categories.length) problems.push(`${label} lists a category twice.`);
    if (f.fields && (f.fields.length === 0 || f.fields.some(blank))) {
      problems.push(`${label}: fields, when given, must be a list of field names.`);
    }
    for (const c of new Set(f.categories.filter((x): x is DataCategory => CATEGORIES.has(x)))) {
      const missing = missingCondition(c, a.lawfulBasis);
      if (missing) problems.push(`${label} shares ${c}, but ${missing}.`);
    }
  }
  return problems;
}

function basisProblems(a: AgreementContent): string[] {
  const problems: string[] = [];
  const b = a.lawfulBasis;
  if (!(ARTICLE6_BASES as readonly string[]).includes(b.article6)) {
    problems.push(`Unknown Article 6 basis ${b.article6}; use one of ${ARTICLE6_BASES.join(', ')}.`);
  }
  if (b.article9 !== undefined && !(ARTICLE9_CONDITIONS as readonly string[]).includes(b.article9)) {
    problems.push(`Unknown Article 9 condition ${b.article9}.`);
  }
  if (b.schedule1 !== undefined && !(SCHEDULE1_CONDITIONS as readonly string[]).includes(b.schedule1)) {
    problems.push(`Unknown Schedule 1 condition ${b.schedule1}.`);
  }
  if (blank(b.gateway)) problems.push('Name the legal gateway that allows this sharing.');
  return problems;
}

function consentProblems(a: AgreementContent): string[] {
  const problems: string[] = [];
  const b = a.lawfulBasis;
  if (!(CONSENT_RULES as readonly string[]).includes(a.consentRule)) {
    problems.push(`Unknown consent rule ${a.consentRule}.`);
  }
  // A consent basis that does not ask for consent is not a consent basis.
  if (b.article6 === 'consent' && a.consentRule !== 'explicit-consent') {
    problems.push('Article 6 basis is consent, so the consent rule must be explicit-consent.');
  }
  if (b.article9 === 'explicit-consent' && a.consentRule !== 'explicit-consent') {
    problems.push('Article 9 condition is explicit consent, so the consent rule must be explicit-consent.');
  }
  if (a.consentRule === 'safeguarding-override') {
    if (!a.override || blank(a.override.justification)) {
      problems.push('A safeguarding override needs a written justification.');
    }
    if (!a.override || !isDate(a.override.expiresAt)) {
      problems.push('A safeguarding override needs an expiry date.');
    } else if (isDate(a.validFrom) && a.override.expiresAt <= a.validFrom) {
      problems.push('The safeguarding override expires before the agreement starts.');
    }
  } else if (a.override) {
    problems.push(`An override is only meaningful with the safeguarding-override rule, not ${a.consentRule}.`);
  }
  return problems;
}

export function assertValidAgreement(a: AgreementContent & Pick<Agreement, 'author' | 'id'>): void {
  const problems = agreementProblems(a);
  if (problems.length > 0) {
    throw new BrokerError('VALIDATION_FAILED', `Agreement ${a.id} has ${problems.length} problem(s).`, {
      problems,
    });
  }
}

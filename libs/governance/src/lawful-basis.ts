import { SPECIAL_CATEGORIES, type DataCategory } from '@joinedup/core';

/** UK GDPR Article 6(1)(a)-(f). */
export const ARTICLE6_BASES = [
  'consent',
  'contract',
  'legal-obligation',
  'vital-interests',
  'public-task',
  'legitimate-interests',
] as const;
export type Article6Basis = (typeof ARTICLE6_BASES)[number];

/** UK GDPR Article 9(2)(a)-(j): conditions for processing special category data. */
export const ARTICLE9_CONDITIONS = [
  'explicit-consent',
  'employment-social-security',
  'vital-interests',
  'not-for-profit-bodies',
  'made-public',
  'legal-claims',
  'substantial-public-interest',
  'health-social-care',
  'public-health',
  'archiving-research',
] as const;
export type Article9Condition = (typeof ARTICLE9_CONDITIONS)[number];

/**
 * DPA 2018 Schedule 1 conditions most used by public agencies (paragraph numbers in comments).
 * Not exhaustive: add a paragraph here when an agreement needs one.
 */
export const SCHEDULE1_CONDITIONS = [
  'employment-social-security', // Part 1, 1
  'health-social-care', // Part 1, 2
  'public-health', // Part 1, 3
  'research', // Part 1, 4
  'statutory-government-purposes', // Part 2, 6
  'administration-of-justice', // Part 2, 7
  'equality-of-opportunity', // Part 2, 8
  'preventing-detecting-unlawful-acts', // Part 2, 10
  'protecting-the-public', // Part 2, 11
  'regulatory-requirements', // Part 2, 12
  'preventing-fraud', // Part 2, 14
  'counselling', // Part 2, 17
  'safeguarding-children-and-individuals-at-risk', // Part 2, 18
  'safeguarding-economic-wellbeing', // Part 2, 19
  'consent', // Part 3, 29 (criminal offence data only)
  'vital-interests', // Part 3, 30 (criminal offence data only)
] as const;
export type Schedule1Condition = (typeof SCHEDULE1_CONDITIONS)[number];

/** Art 9(2)(b), (g), (h), (i) and (j) only work with a Schedule 1 Part 1 or 2 condition (DPA 2018 s10). */
const ARTICLE9_NEEDING_SCHEDULE1: ReadonlySet<Article9Condition> = new Set([
  'employment-social-security',
  'substantial-public-interest',
  'health-social-care',
  'public-health',
  'archiving-research',
]);

export interface LawfulBasis {
  article6: Article6Basis;
  article9?: Article9Condition;
  schedule1?: Schedule1Condition;
  /** The statutory gateway that lets these agencies share, e.g. "Children Act 2004 s10". */
  gateway: string;
}

const SPECIAL: ReadonlySet<DataCategory> = new Set(SPECIAL_CATEGORIES);

export function isSpecialCategory(category: DataCategory): boolean {
  return SPECIAL.has(category);
}

/**
 * Why the lawful basis does not cover this category, or null when it does.
 * Health data needs an Art 9 condition; criminal offence data (Art 10) needs a Schedule 1 condition.
 */
export function missingCondition(category: DataCategory, basis: LawfulBasis): string | null {
  if (!SPECIAL.has(category)) return null;
  if (category === 'criminal-offence') {
    return basis.schedule1 ? null : 'criminal offence data needs a DPA 2018 Schedule 1 condition (UK GDPR Art 10)';
  }
  if (!basis.article9) return `${category} is special category data and needs a UK GDPR Article 9 condition`;
  if (ARTICLE9_NEEDING_SCHEDULE1.has(basis.article9) && !basis.schedule1) {
    return `Article 9 condition ${basis.article9} needs a DPA 2018 Schedule 1 condition`;
  }
  return null;
}

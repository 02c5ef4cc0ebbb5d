import { areNicknames } from './nicknames.js';
import type { Prepared } from './features.js';
import { damerauLevenshtein, jaroWinkler } from './string-metrics.js';

/** A comparison answers a level index (0 = strongest agreement) or -1 when either side is missing. */
export interface Comparison {
  name: string;
  /** Plain words for each level, used in explanations. */
  levels: string[];
  /** Index of the level whose weight is adjusted by term frequency (exact agreement), if any. */
  tfLevel?: number;
  tfValue?: (r: Prepared) => string;
  compare(a: Prepared, b: Prepared): number;
}

const MISSING = -1;

/** The first word of a name, without allocating when there is only one (the common case). */
function firstToken(name: string): string {
  for (let i = 0; i < name.length; i += 1) {
    const c = name.charCodeAt(i);
    if (c === 32 || c === 45) return name.slice(0, i);
  }
  return name;
}

/** Shared tokens of two short lists, without building a Set per pair (this runs millions of times). */
function sharedCount(a: readonly string[], b: readonly string[]): number {
  let shared = 0;
  for (const x of a) if (b.includes(x)) shared += 1;
  return shared;
}
const overlap = (a: string[], b: string[]) => a.some((x) => b.includes(x));

function compareGiven(a: string, b: string, ma: string[], mb: string[]): number {
  if (!a || !b) return MISSING;
  if (a === b) return 0;
  const fa = firstToken(a);
  const fb = firstToken(b);
  if (fa === fb || areNicknames(fa, fb)) return 1;
  // Computed once for both thresholds: most pairs compared are of different names and reach the last.
  const jw = jaroWinkler(fa, fb);
  if (jw >= 0.92 || damerauLevenshtein(fa, fb, 1) <= 1) return 2;
  if ((fa.length === 1 || fb.length === 1) && fa[0] === fb[0]) return 3;
  if (overlap(ma, mb) || jw >= 0.8) return 3;
  return 4;
}

function compareFamily(a: Prepared, b: Prepared): number {
  if (!a.familyCompact || !b.familyCompact) return MISSING;
  if (a.familyCompact === b.familyCompact) return 0;
  const jw = jaroWinkler(a.familyCompact, b.familyCompact);
  if (jw >= 0.92 || damerauLevenshtein(a.familyCompact, b.familyCompact, 1) <= 1) return 1;
  if (
    overlap(a.familyTokens, b.familyTokens) ||
    a.otherFamilies.includes(b.familyCompact) ||
    b.otherFamilies.includes(a.familyCompact) ||
    overlap(a.otherFamilies, b.otherFamilies)
  ) {
    return 2;
  }
  if (overlap(a.familyMeta, b.familyMeta) || jw >= 0.8) return 3;
  return 4;
}

/** Approximate day number, enough for distances; partial dates sit mid-month / mid-year. */
const dayNumber = (d: { y: number; m: number; d: number }) => d.y * 365.25 + ((d.m || 6.5) - 1) * 30.44 + (d.d || 15);

function compareDob(a: Prepared, b: Prepared): number {
  const x = a.dob;
  const y = b.dob;
  if (!x || !y) return MISSING;
  if (x.y === y.y && x.m === y.m && x.d === y.d) return 0;
  if (x.y === y.y && x.m === y.d && x.d === y.m) return 1;
  const same = Number(x.y === y.y) + Number(x.m === y.m) + Number(x.d === y.d);
  if (same === 2) return 2;
  const days = Math.abs(dayNumber(x) - dayNumber(y));
  if (days <= 366 || (Math.abs(x.y - y.y) <= 2 && (x.m === y.m || x.d === y.d))) return 3;
  return days <= 3653 ? 4 : 5;
}

function exactOrDifferent(pick: (r: Prepared) => string) {
  return (a: Prepared, b: Prepared): number => {
    const x = pick(a);
    const y = pick(b);
    if (!x || !y) return MISSING;
    return x === y ? 0 : 1;
  };
}

function comparePostcode(a: Prepared, b: Prepared): number {
  if (!a.postcode || !b.postcode) return MISSING;
  if (a.postcode === b.postcode) return 0;
  if (a.sector === b.sector) return 1;
  return a.outward === b.outward ? 2 : 3;
}

function compareAddress(a: Prepared, b: Prepared): number {
  if (a.uprn && b.uprn) return a.uprn === b.uprn ? 0 : 3;
  if (a.address.length === 0 || b.address.length === 0) return MISSING;
  const shared = sharedCount(a.address, b.address);
  const jaccard = shared / (a.address.length + b.address.length - shared);
  const sameNumber = !a.addressNumber || !b.addressNumber || a.addressNumber === b.addressNumber;
  if (jaccard >= 0.8 && sameNumber) return 0;
  if (jaccard >= 0.5) return 1;
  return shared > 0 ? 2 : 3;
}

function compareLocality(a: Prepared, b: Prepared): number {
  if (!a.locality || !b.locality) return MISSING;
  if (a.locality === b.locality) return 0;
  return jaroWinkler(a.locality, b.locality) >= 0.9 ? 1 : 2;
}

/**
 * Where someone lives, as one comparison. Postcode, street address and town say nearly the same thing
 * (everyone in a household shares all three), so scoring them as independent evidence would count one
 * fact three times and merge whole households into one person.
 */
function compareHome(a: Prepared, b: Prepared): number {
  const pc = comparePostcode(a, b);
  const ad = compareAddress(a, b);
  const loc = compareLocality(a, b);
  if (pc === MISSING && ad === MISSING && loc === MISSING) return MISSING;
  const pcAgrees = pc === 0 || (pc === MISSING && loc === 0);
  if (ad === 0 && pcAgrees) return 0;
  if ((ad === 0 && (pc === MISSING || pc >= 1)) || (ad === 1 && pcAgrees)) return 1;
  if (pc === 0 || ad === 1) return 2;
  if (pc === 1 || ad === 2 || ((pc === MISSING || pc === 2) && loc === 0)) return 3;
  if (pc === 2 || loc === 0 || loc === 1) return 4;
  return 5;
}

export const COMPARISONS: Record<string, Comparison> = {
  given: {
    name: 'given',
    levels: [
      'same given name',
      'given name is a nickname or short form',
      'given name nearly the same',
      'given name sounds alike or is an initial',
      'different given name',
    ],
    tfLevel: 0,
    tfValue: (r) => r.given,
    compare: (a, b) => compareGiven(a.given, b.given, a.givenMeta, b.givenMeta),
  },
  family: {
    name: 'family',
    levels: [
      'same family name',
      'family name nearly the same',
      'family name shares a part or matches a previous name',
      'family name sounds alike',
      'different family name',
    ],
    tfLevel: 0,
    tfValue: (r) => r.familyCompact,
    compare: compareFamily,
  },
  dob: {
    name: 'dob',
    levels: [
      'same date of birth',
      'date of birth with day and month swapped',
      'date of birth differs in one part',
      'date of birth within a year',
      'date of birth within ten years',
      'date of birth more than ten years apart',
    ],
    compare: compareDob,
  },
  nhs: { name: 'nhs', levels: ['same NHS number', 'different NHS numbers'], compare: exactOrDifferent((r) => r.nhs) },
  ni: {
    name: 'ni',
    levels: ['same National Insurance number', 'different National Insurance numbers'],
    compare: exactOrDifferent((r) => r.ni),
  },
  upn: {
    name: 'upn',
    levels: ['same unique pupil number', 'different unique pupil numbers'],
    compare: exactOrDifferent((r) => r.upn),
  },
  identifier: {
    name: 'identifier',
    levels: ['same identifier', 'identifier differs by one character', 'different identifiers'],
    compare: (a, b) => {
      if (!a.identifier || !b.identifier) return MISSING;
      if (a.identifier === b.identifier) return 0;
      return damerauLevenshtein(a.identifier, b.identifier, 1) <= 1 ? 1 : 2;
    },
  },
  postcode: {
    name: 'postcode',
    levels: ['same postcode', 'postcode in the same sector', 'postcode in the same district', 'different postcode'],
    compare: comparePostcode,
  },
  address: {
    name: 'address',
    levels: ['same address', 'address mostly the same', 'address shares some words', 'different address'],
    compare: compareAddress,
  },
  sex: {
    name: 'sex',
    levels: ['same sex', 'different sex'],
    compare: (a, b) => (!a.sex || !b.sex ? MISSING : a.sex === b.sex ? 0 : 1),
  },
  locality: {
    name: 'locality',
    levels: ['same town', 'town nearly the same', 'different town'],
    compare: compareLocality,
  },
  home: {
    name: 'home',
    levels: [
      'same address',
      'address nearly the same',
      'same postcode, or address partly the same',
      'same postcode sector or street, or same town',
      'same postcode district or nearby town',
      'lives elsewhere',
    ],
    compare: compareHome,
  },
  email: {
    name: 'email',
    levels: ['same email', 'email nearly the same', 'different email'],
    compare: (a, b) => {
      if (!a.email || !b.email) return MISSING;
      if (a.email === b.email) return 0;
      return a.emailLocal === b.emailLocal || damerauLevenshtein(a.email, b.email, 2) <= 2 ? 1 : 2;
    },
  },
};

/** Both orientations of the names, so a record with given and family swapped still agrees. */
export function swappedNameLevels(a: Prepared, b: Prepared): { given: number; family: number } | null {
  if (!a.given || !a.familyCompact || !b.given || !b.familyCompact) return null;
  const given = compareGiven(a.given, b.familyCompact, a.givenMeta, b.familyMeta);
  const family = compareGiven(a.familyCompact, b.given, a.familyMeta, b.givenMeta);
  return given <= 2 && family <= 2 ? { given, family } : null;
}

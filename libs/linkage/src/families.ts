import type { Prepared } from './features.js';

const UPRN_REASON = 'living at the same property (UPRN)';

export interface Family {
  /** Person (cluster) indices in this family. */
  persons: number[];
  /** Why they were grouped, in plain words. */
  reasons: string[];
}

/**
 * Persons -> families: persons belong together when any agency records them in one household, or they
 * share a current UPRN. (A shared street address alone is not enough: flats and houses in multiple
 * occupation would merge strangers.)
 */
/** What ties a record's person to others in a family: an agency household reference, a property (UPRN). */
export function familyKeys(r: Prepared): string[] {
  const keys: string[] = [];
  if (r.householdRef) keys.push(`household:${r.householdRef}`);
  if (r.uprn) keys.push(`uprn:${r.uprn}`);
  return keys;
}

export function groupFamilies(records: readonly Prepared[], personOf: Int32Array): Family[] {
  const persons = Math.max(-1, ...personOf) + 1;
  const parent = Int32Array.from({ length: persons }, (_, i) => i);
  const find = (x: number): number => (parent[x] === x ? x : (parent[x] = find(parent[x]!)));
  const reasons = new Map<string, Set<string>>();
  const byKey = new Map<string, number>();
  const join = (key: string, person: number, reason: string) => {
    const first = byKey.get(key);
    if (first === undefined) {
      byKey.set(key, person);
      return;
    }
    const ra = find(first);
    const rb = find(person);
    if (ra !== rb) parent[rb] = ra;
    reasons.set(key, (reasons.get(key) ?? new Set()).add(reason));
  };
  records.forEach((r, i) => {
    if (r.householdRef) join(`household:${r.householdRef}`, personOf[i]!, `recorded in one household by ${r.source}`);
    if (r.uprn) join(`uprn:${r.uprn}`, personOf[i]!, UPRN_REASON);
  });
  const families = new Map<number, Family>();
  for (let p = 0; p < persons; p += 1) {
    const root = find(p);
    const family = families.get(root) ?? { persons: [], reasons: [] };
    family.persons.push(p);
    families.set(root, family);
  }
  for (const [key, why] of reasons) {
    const family = families.get(find(byKey.get(key)!))!;
    for (const reason of why) if (!family.reasons.includes(reason)) family.reasons.push(reason);
  }
  return [...families.values()];
}

/** A family of persons (by id) found from their family keys, with why they belong together. */
export interface KeyedFamily {
  persons: string[];
  /** Each person's position in the map given (a batch keeps persons by position, not in a Map by id). */
  positions: number[];
  reasons: string[];
}

/** Household reasons by agency, each made once: a batch asks for one per family key of the place. */
const householdReasons = new Map<string, string>();

/** Plain words for a family key: `household:<agency>/<ref>` or `uprn:<uprn>`. */
export function familyReason(key: string): string {
  if (key.startsWith('uprn:')) return UPRN_REASON;
  const slash = key.indexOf('/');
  const agency = key.slice('household:'.length, slash < 0 ? undefined : slash);
  let reason = householdReasons.get(agency);
  if (reason === undefined) householdReasons.set(agency, (reason = `recorded in one household by ${agency}`));
  return reason;
}

/**
 * Persons -> families by shared family keys (the service's form of `groupFamilies`: persons are ids and
 * already carry their records' keys). Every person is in exactly one family, alone if it shares no key;
 * families come in the order of their first person, persons in the order given, and a family's reasons
 * are the keys its persons share, in plain words, sorted. Typed arrays and one reason string per agency,
 * not a Map or Set per family: a batch calls it with every person of the place.
 */
export function familiesByKeys(keysOf: ReadonlyMap<string, readonly string[]>): KeyedFamily[] {
  return familiesByKeyLists([...keysOf.keys()], [...keysOf.values()]);
}

/** familiesByKeys for persons given by position: `keysOf[i]` are the family keys of `people[i]`. */
export function familiesByKeyLists(people: readonly string[], keysOf: readonly (readonly string[])[]): KeyedFamily[] {
  const parent = new Int32Array(people.length);
  for (let i = 0; i < parent.length; i += 1) parent[i] = i;
  const find = (x: number): number => {
    let root = x;
    while (parent[root] !== root) root = parent[root]!;
    while (parent[x] !== root) {
      const up = parent[x]!;
      parent[x] = root;
      x = up;
    }
    return root;
  };
  const firstWithKey = new Map<string, number>();
  keysOf.forEach((keys, p) => {
    for (const key of keys) {
      const first = firstWithKey.get(key);
      if (first === undefined) firstWithKey.set(key, p);
      else parent[find(p)] = find(first);
    }
  });
  const familyOfRoot = new Int32Array(people.length).fill(-1);
  const families: KeyedFamily[] = [];
  people.forEach((person, i) => {
    const root = find(i);
    if (familyOfRoot[root] === -1) {
      familyOfRoot[root] = families.length;
      families.push({ persons: [], positions: [], reasons: [] });
    }
    const family = families[familyOfRoot[root]!]!;
    family.persons.push(person);
    family.positions.push(i);
  });
  for (const [key, first] of firstWithKey) {
    const reason = familyReason(key);
    const { reasons } = families[familyOfRoot[find(first)]!]!;
    if (!reasons.includes(reason)) reasons.push(reason);
  }
  for (const family of families) if (family.reasons.length > 1) family.reasons.sort();
  return families;
}

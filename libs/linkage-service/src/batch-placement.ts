import { randomUUID } from 'node:crypto';
import { assignStableIds, familiesByKeyLists, type StableIdAnswer } from '@joinedup/linkage';
import type { IndexedPlace, LinkageChangeRow, Retired } from '@joinedup/persistence';

/** Where a batch re-link puts every live record: persons and families with stable ids, and what retires. */
export interface Placement {
  persons: StableIdAnswer;
  families: { id: string; reasons: string[] }[];
  /** Every person in use with its family. */
  personRows: { id: string; family: string }[];
  /** Each record's person and family, by the record's position. */
  personOfRecord: string[];
  familyOfRecord: string[];
  retiredPersons: Retired[];
  retiredFamilies: Retired[];
  changes: LinkageChangeRow[];
}

/** Ids per linkage_change row for long lists (a first link of a place creates every person at once). */
const IDS_PER_CHANGE = 1000;
/** A batch's change log rows say so. */
const BATCH = { batch: true };

/**
 * Persons from the clustering and families from their keys, each given stable ids against where the
 * records sat before (a merge keeps the older id, a split is recorded), all in memory. Persons and
 * families active before and no longer in use retire: merged into their successor, or emptied.
 */
export function placeEveryone(
  records: readonly { id: string }[],
  /** Each record's family keys (see familyKeys). */
  familyKeysOf: readonly (readonly string[])[],
  personOf: ArrayLike<number>,
  /** Live records' places before the re-link. */
  before: readonly IndexedPlace[],
  /** Every indexed record's place before, live or not (for the families of continuing persons). */
  places: readonly IndexedPlace[],
  personAges: ReadonlyMap<string, number>,
  familyAges: ReadonlyMap<string, number>,
): Placement {
  const clusters: string[][] = [];
  for (let i = 0; i < records.length; i += 1) (clusters[personOf[i]!] ??= []).push(records[i]!.id);
  const previousPerson = new Map(before.filter((p) => p.person).map((p) => [p.id, p.person!]));
  const persons = assignStableIds(clusters, previousPerson, (id) => personAges.get(id) ?? Infinity, randomUUID);

  // Persons are kept by position (their cluster), records by theirs: Maps keyed by a million id strings
  // took about a quarter of this stage in a profile at a million records.
  const keysOfPerson: string[][] = persons.ids.map(() => []);
  for (let i = 0; i < records.length; i += 1) {
    const keys = keysOfPerson[personOf[i]!]!;
    for (const key of familyKeysOf[i]!) if (!keys.includes(key)) keys.push(key);
  }
  const grouped = familiesByKeyLists(persons.ids, keysOfPerson);
  const familyBefore = new Map(places.filter((p) => p.person && p.family).map((p) => [p.person!, p.family!]));
  const previousFamily = new Map(persons.ids.filter((p) => familyBefore.has(p)).map((p) => [p, familyBefore.get(p)!]));
  const families = assignStableIds(
    grouped.map((f) => f.persons),
    previousFamily,
    (id) => familyAges.get(id) ?? Infinity,
    randomUUID,
  );
  const familyOfPerson = new Array<string>(persons.ids.length);
  grouped.forEach((f, c) => f.positions.forEach((p) => (familyOfPerson[p] = families.ids[c]!)));

  return {
    persons,
    families: grouped.map((f, c) => ({ id: families.ids[c]!, reasons: f.reasons })),
    personRows: persons.ids.map((id, c) => ({ id, family: familyOfPerson[c]! })),
    personOfRecord: Array.from(records, (_, i) => persons.ids[personOf[i]!]!),
    familyOfRecord: Array.from(records, (_, i) => familyOfPerson[personOf[i]!]!),
    retiredPersons: retired(personAges.keys(), persons),
    retiredFamilies: retired(familyAges.keys(), families),
    changes: [...changesOf('person', persons, BATCH), ...changesOf('family', families, BATCH)],
  };
}

/** Ids active before that the answer no longer uses: merged ones name their successor. */
function retired(active: Iterable<string>, answer: StableIdAnswer): Retired[] {
  const ids = [...active];
  if (ids.length === 0) return []; // a first link: nothing to look up among the ids in use
  const inUse = new Set(answer.ids);
  const mergedInto = new Map(answer.merges.flatMap((m) => m.from.map((id) => [id, m.into] as const)));
  return ids.filter((id) => !inUse.has(id)).map((id) => ({ id, into: mergedInto.get(id) ?? null }));
}

/** The change log rows of one stable-id answer; `details` marks where they came from (a batch). */
export function changesOf(
  kind: 'person' | 'family',
  answer: StableIdAnswer,
  details: Record<string, unknown> = {},
): LinkageChangeRow[] {
  const rows: LinkageChangeRow[] = [
    ...answer.merges.map((m) => ({
      kind: `${kind}.merged`,
      ids: [m.into, ...m.from],
      details: { into: m.into, ...details },
    })),
    ...answer.splits.map((s) => ({
      kind: `${kind}.split`,
      ids: [s.from, ...s.into],
      details: { from: s.from, ...details },
    })),
  ];
  for (let i = 0; i < answer.created.length; i += IDS_PER_CHANGE)
    rows.push({ kind: `${kind}.created`, ids: answer.created.slice(i, i + IDS_PER_CHANGE), details });
  return rows;
}

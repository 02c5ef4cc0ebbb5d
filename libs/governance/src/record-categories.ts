import type { CanonicalRecord, DataCategory } from '@joinedup/core';

/** Which fields of a canonical record belong to which data category (what agreements name per direction). */
const FIELDS: Record<string, readonly (keyof CanonicalRecord)[]> = {
  identity: ['name', 'otherNames', 'birthDate', 'birthDateUncertain', 'sex', 'identifiers'],
  contact: ['contacts'],
  address: ['addresses'],
  household: ['household'],
  involvement: ['involvement'],
  needs: ['needs'],
};

/** The categories a record carries: those its fields fill, plus the special ones its agency declares. */
export function categoriesOf(record: CanonicalRecord): DataCategory[] {
  const present = Object.entries(FIELDS)
    .filter(([, fields]) => fields.some((f) => record[f] !== undefined))
    .map(([category]) => category as DataCategory);
  return [...new Set([...present, ...(record.categories ?? [])])];
}

/**
 * Only what a decision permits. Involvement and needs held by an agency that marks the record as special
 * category (health, criminal offence) go only if that special category is permitted too.
 */
export function redactRecord(
  record: CanonicalRecord,
  permitted: readonly DataCategory[],
): { fields: Partial<CanonicalRecord>; withheld: DataCategory[] } {
  const special = (record.categories ?? []).filter((c) => !FIELDS[c]);
  const specialOk = special.every((c) => permitted.includes(c));
  const fields: Partial<CanonicalRecord> = { externalId: record.externalId };
  const withheld = new Set<DataCategory>();
  for (const [category, names] of Object.entries(FIELDS)) {
    const sensitive = category === 'involvement' || category === 'needs';
    const allowed = permitted.includes(category as DataCategory) && (!sensitive || specialOk);
    for (const name of names) {
      if (record[name] === undefined) continue;
      if (allowed) (fields as Record<string, unknown>)[name] = record[name];
      else withheld.add(category as DataCategory);
    }
  }
  for (const c of special) if (!permitted.includes(c)) withheld.add(c);
  return { fields, withheld: [...withheld] };
}

import { generatePlace } from '@joinedup/place';
import { fromCanonical, UNMATCHED_RECORD_FIELDS } from '@joinedup/linkage';

describe('fromCanonical', () => {
  // The place's records carry every field intake takes, with errors and gaps.
  const records = [...generatePlace({ seed: 7, records: 3000 })].map(({ record }) => record);

  it('reads nothing of the fields a batch leaves in the database', () => {
    let without = 0;
    for (const { agency, ...canonical } of records) {
      const trimmed: Record<string, unknown> = { ...canonical };
      for (const field of UNMATCHED_RECORD_FIELDS) delete trimmed[field];
      if (Object.keys(trimmed).length < Object.keys(canonical).length) without += 1;
      expect(fromCanonical(agency, trimmed as unknown as typeof canonical, [])).toEqual(
        fromCanonical(agency, canonical, []),
      );
    }
    // The fields are there to leave out: the check compares something.
    expect(without).toBe(records.length);
  });

  it('lists fields the canonical record has', () => {
    const seen = new Set(records.flatMap((r) => Object.keys(r)));
    for (const field of UNMATCHED_RECORD_FIELDS) expect(seen).toContain(field);
  });
});

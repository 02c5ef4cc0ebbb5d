import { generatePlace } from '@joinedup/place';
import { fromCanonical, fromStored, prepareRecord, toStored } from '@joinedup/linkage';

// The place's records carry the errors the service sees (typos, swaps, missing and extra fields).
const prepared = [...generatePlace({ seed: 5, records: 5000 })].map(({ record }) => {
  const { agency, ...canonical } = record;
  return prepareRecord(fromCanonical(agency, canonical, []));
});

describe('stored features', () => {
  it('give back exactly the prepared features, derived fields included', () => {
    for (const p of prepared) expect(fromStored(JSON.parse(JSON.stringify(toStored(p))))).toEqual(p);
  });

  it('keep the derived fields out of what is stored, and fit in well under half the named form', () => {
    const stored = prepared.map((p) => JSON.stringify(toStored(p)).length);
    const named = prepared.map((p) => JSON.stringify(p).length);
    const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
    expect(sum(stored) / sum(named)).toBeLessThan(0.5);
    expect(toStored(prepared[0]!)).toHaveLength(20);
  });

  it('derive a postcode sector and a house number again from what is stored', () => {
    const p = prepareRecord({
      id: 'a/1',
      source: 'a',
      given: 'Bill',
      family: 'Van der Berg',
      postcode: 'nm5 8pb',
      addressLines: ['Flat 2', '14b Park Road'],
      email: 'Bill@Example.org',
    });
    const back = fromStored(toStored(p));
    expect(back).toMatchObject({ sector: 'NM58', outward: 'NM5', familyCompact: 'vanderberg', emailLocal: 'bill' });
    expect(back.addressNumber).toBe(p.addressNumber);
    expect(back.givenGroups).toEqual(p.givenGroups);
    expect(back.givenGroups.length).toBeGreaterThan(0);
  });
});

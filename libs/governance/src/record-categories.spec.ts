import type { CanonicalRecord } from '@joinedup/core';
import { categoriesOf, redactRecord } from '@joinedup/governance';

const record: CanonicalRecord = {
  externalId: 'h-1',
  version: 1,
  name: { given: 'Amy', family: 'Okafor' },
  birthDate: '1988-02-05',
  addresses: [{ lines: ['12 Mill Lane'], postcode: 'NM1 4AP' }],
  involvement: { status: 'open', worker: 'w-1' },
  needs: ['mental-health'],
  categories: ['health'],
};

describe('record categories', () => {
  it('names the categories a record carries, including the special ones its agency declares', () => {
    expect(categoriesOf(record).sort()).toEqual(['address', 'health', 'identity', 'involvement', 'needs']);
  });

  it('keeps only permitted fields and says what was withheld', () => {
    const { fields, withheld } = redactRecord(record, ['identity']);
    expect(Object.keys(fields).sort()).toEqual(['birthDate', 'externalId', 'name']);
    expect(withheld.sort()).toEqual(['address', 'health', 'involvement', 'needs']);
  });

  it('involvement and needs from a special-category record go only with that category permitted', () => {
    expect(redactRecord(record, ['identity', 'involvement', 'needs']).fields.needs).toBeUndefined();
    expect(redactRecord(record, ['identity', 'involvement', 'needs', 'health']).fields.needs).toEqual([
      'mental-health',
    ]);
  });
});

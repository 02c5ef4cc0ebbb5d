import { DEFAULT_NEED_CODES } from '@joinedup/core';
import { validateRecord } from './record-validator.js';

const context = { needCodes: new Set<string>(DEFAULT_NEED_CODES), today: '2026-11-24' };

const valid = {
  externalId: 'csc-000123',
  version: 3,
  name: { given: 'Amelia', family: 'Okafor-Smith' },
  birthDate: '2014-03-09',
  sex: 'female',
  identifiers: [{ system: 'nhs-number', value: '9434765919' }],
  addresses: [
    { lines: ['12 Mill Lane'], locality: 'Northmoor', postcode: 'LS1 4AP', uprn: '100023336956', from: '2020-01-01' },
  ],
  household: { reference: 'fam-77', role: 'child' },
  involvement: { status: 'open', worker: 'w-1', team: 'east', since: '2025-06-01' },
  needs: ['school-attendance'],
  categories: ['identity', 'address', 'needs'],
};

function withField(path: string, value: unknown): Record<string, unknown> {
  const copy = structuredClone(valid) as Record<string, unknown>;
  const parts = path.split('.');
  let target = copy as Record<string, unknown>;
  for (const part of parts.slice(0, -1)) target = target[part] as Record<string, unknown>;
  target[parts.at(-1)!] = value;
  return copy;
}

describe('validateRecord', () => {
  it('accepts a complete valid record with no warnings', () => {
    const result = validateRecord(valid, context);
    expect(result).toEqual({ ok: true, record: valid, warnings: [], invalidFields: [] });
  });

  it.each([
    ['wrong type', withField('version', '3'), 'version'],
    ['missing version', withField('version', undefined), 'version'],
    ['missing family name', withField('name', { given: 'Amelia' }), 'name.family'],
    ['name as a number', withField('name.given', 42), 'name.given'],
    ['blank name', withField('name.given', '   '), 'name.given'],
    ['impossible date', withField('birthDate', '2021-02-30'), 'birthDate'],
    ['date in the future', withField('birthDate', '2031-01-01'), 'birthDate'],
    ['date before 1880', withField('birthDate', '1700-01-01'), 'birthDate'],
    ['unknown sex', withField('sex', 'x'), 'sex'],
    [
      'unknown identifier system',
      withField('identifiers', [{ system: 'passport', value: '1' }]),
      'identifiers[0].system',
    ],
    [
      'local identifier without its system',
      withField('identifiers', [{ system: 'local', value: 'A1' }]),
      'identifiers[0].localSystem',
    ],
    ['unknown need code', withField('needs', ['bad-luck']), 'needs[0]'],
    ['unknown data category', withField('categories', ['secrets']), 'categories[0]'],
    ['oversized value', withField('name.family', 'x'.repeat(101)), 'name.family'],
    [
      'too many addresses',
      withField(
        'addresses',
        Array.from({ length: 21 }, () => ({ lines: ['a'] })),
      ),
      'addresses',
    ],
    [
      'address to before from',
      withField('addresses', [{ lines: ['a'], from: '2020-01-01', to: '2019-01-01' }]),
      'addresses[0].to',
    ],
    ['unknown household role', withField('household', { reference: 'f', role: 'cousin' }), 'household.role'],
    ['involvement without status', withField('involvement', { worker: 'w' }), 'involvement.status'],
    ['bad external id', withField('externalId', 'has spaces'), 'externalId'],
    ['mass assignment: agencyId', { ...valid, agencyId: 'other' }, 'agencyId'],
    ['mass assignment: nested', withField('name', { given: 'A', family: 'B', role: 'admin' }), 'name.role'],
  ])('rejects %s at the right field', (_label, input, field) => {
    const result = validateRecord(input, context);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors.map((e) => e.field)).toContain(field);
  });

  it('refuses __proto__ as a field instead of merging it', () => {
    const input = JSON.parse(`{"__proto__": {"admin": true}, ${JSON.stringify(valid).slice(1)}`) as unknown;
    const result = validateRecord(input, context);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors[0]).toEqual({ field: '__proto__', reason: 'is not a field of a record' });
  });

  it('keeps invalid identifiers out of matching with a warning instead of rejecting', () => {
    const input = withField('identifiers', [
      { system: 'nhs-number', value: '9434765918' },
      { system: 'ni-number', value: 'QQ123456A' },
    ]);
    (input.addresses as { postcode: string }[])[0]!.postcode = 'ZZ99 9ZZZ';
    const result = validateRecord(input, context);
    expect(result.ok).toBe(true);
    if (result.ok) {
      expect(result.invalidFields).toEqual(['identifiers[0].value', 'identifiers[1].value', 'addresses[0].postcode']);
      expect(result.warnings).toHaveLength(3);
    }
  });

  it('never echoes a value in a reason', () => {
    const result = validateRecord(withField('name.family', 'Zebedee'.repeat(20)), context);
    expect(JSON.stringify(result)).not.toContain('Zebedee');
  });

  it('accepts partial dates of birth', () => {
    expect(validateRecord(withField('birthDate', '2014-03'), context).ok).toBe(true);
    expect(validateRecord(withField('birthDate', '2014'), context).ok).toBe(true);
    expect(validateRecord(withField('birthDate', '2014-13'), context).ok).toBe(false);
  });
});

import { readFileSync } from 'node:fs';
import {
  BLOCKING_KEYS,
  blockHash,
  blockingKey,
  blockingKeyHashInto,
  candidatePairs,
  fromCanonical,
  prepareRecord,
  validateModelConfig,
  type LinkageRecord,
} from '@joinedup/linkage';
import { generatePlace } from '@joinedup/place';

const record = (id: string, fields: Partial<LinkageRecord>) => prepareRecord({ id, source: 's', ...fields });

describe('blocking keys', () => {
  it('names in either order give one key, so a swapped record is still a candidate', () => {
    const a = record('a', { given: 'Amira', family: 'Okafor' });
    const b = record('b', { given: 'Okafor', family: 'Amira' });
    expect(BLOCKING_KEYS['names-phonetic-unordered']!(a)).not.toBe('');
    expect(BLOCKING_KEYS['names-phonetic-unordered']!(a)).toBe(BLOCKING_KEYS['names-phonetic-unordered']!(b));
  });

  it('a nickname and the full name share the given-name key', () => {
    const key = BLOCKING_KEYS['given-canonical']!;
    expect(key(record('a', { given: 'William' }))).toBe(key(record('b', { given: 'Bill' })));
    expect(key(record('a', { given: 'William' }))).not.toBe(key(record('b', { given: 'Robert' })));
  });

  it('a day/month swap keeps the date-of-birth key', () => {
    const key = BLOCKING_KEYS['dob-unordered']!;
    expect(key(record('a', { birthDate: '1980-03-09' }))).toBe(key(record('b', { birthDate: '1980-09-03' })));
  });
});

describe('candidate pairs', () => {
  const records = [
    record('0', { given: 'Ann', family: 'Lee', birthDate: '1990-01-02', nhs: '9434765919' }),
    record('1', { given: 'Ann', family: 'Lee', birthDate: '1990-01-02' }),
    record('2', { given: 'Bob', family: 'Lee', birthDate: '1990-01-02', nhs: '9434765919' }),
    record('3', { given: 'Cy', family: 'Ng', birthDate: '1970-05-06' }),
  ];
  const rules = [
    { name: 'nhs', keys: ['nhs'] },
    { name: 'dob', keys: ['dob-unordered'] },
  ];

  it('unions the rules, keeps each pair once and tags which rules found it', () => {
    const { pairs, rules: masks, reports } = candidatePairs(records, rules, 100);
    const n = records.length;
    const found = Array.from(pairs, (key, p) => [Math.floor(key / n), key % n, masks[p]]);
    // 0-2 share the NHS number and the date of birth; 0-1 and 1-2 only the date of birth.
    expect(found).toEqual([
      [0, 1, 0b10],
      [0, 2, 0b11],
      [1, 2, 0b10],
    ]);
    expect(reports.map((r) => r.candidatePairs)).toEqual([1, 3]);
  });

  it('skips blocks above the size limit, per rule when the rule says so, and reports them', () => {
    const capped = candidatePairs(records, [rules[0]!, { ...rules[1]!, maxBlockSize: 2 }], 100);
    expect(capped.pairs.length).toBe(1);
    expect(capped.reports[1]).toMatchObject({ candidatePairs: 0, skippedBlocks: 1 });
  });

  it('hashes each key from its parts exactly as the key itself hashes, and writes nothing where there is no key', () => {
    const checked = validateModelConfig(JSON.parse(readFileSync('config/linkage/model.json', 'utf8')));
    if (!checked.ok) throw new Error(checked.problems.join('; '));
    const rules = [...checked.model.blocking, { name: 'unknown-part', keys: ['nhs', 'no-such-part'] }];
    const records = [
      ...[...generatePlace({ seed: 3, records: 1500 })].map(({ record: r }) => {
        const { agency, ...canonical } = r;
        return prepareRecord(fromCanonical(agency, canonical, []));
      }),
      record('x', { given: 'Siân', family: 'Ó Súilleabháin', postcode: 'NM5 8PB', birthDate: '1990-03-04' }),
      record('y', { given: 'Zoë', family: 'Łukasiewicz-🙂', email: 'zoë@example.org' }),
    ];
    const out = new Uint32Array(2);
    const hashed = new BigInt64Array(out.buffer);
    let keys = 0;
    for (const r of records)
      for (const rule of rules) {
        const key = blockingKey(rule, r);
        out.fill(7);
        expect(blockingKeyHashInto(rule, r, out, 0)).toBe(key !== '');
        if (key === '') expect([...out]).toEqual([7, 7]);
        else {
          keys += 1;
          expect(hashed[0]).toBe(blockHash(key));
        }
      }
    expect(keys).toBeGreaterThan(records.length * 8);
    // UTF-8 beyond ASCII went through too (an email address keeps its accents).
    expect(rules.some((rule) => /[^\x00-\x7f]/.test(blockingKey(rule, records.at(-1)!)))).toBe(true);
  });
});

import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  isValidNhsNumber,
  isValidPostcode,
  isValidUpn,
  isValidNiNumber,
  type CanonicalRecordLine,
} from '@joinedup/core';
import {
  CSV_HEADER,
  csvRow,
  DEFAULT_ERROR_RATES,
  generatePlace,
  NORTHMOOR_AGENCIES,
  type ErrorRates,
  type PlaceRecord,
} from '@joinedup/place';

const ZERO: ErrorRates = Object.fromEntries(
  Object.keys(DEFAULT_ERROR_RATES).map((k) => [k, 0]),
) as unknown as ErrorRates;
const all = (seed: number, records: number, rates?: Partial<ErrorRates>): PlaceRecord[] => [
  ...generatePlace({ seed, records, rates }),
];
const digest = (items: PlaceRecord[]) =>
  createHash('sha256')
    .update(items.map((i) => JSON.stringify(i)).join('\n'))
    .digest('hex');
const nhsOf = (r: CanonicalRecordLine) => r.identifiers?.find((i) => i.system === 'nhs-number')?.value;

describe('the synthetic place', () => {
  const place = all(7, 20_000);

  it('is the same byte for byte for the same seed, and differs for another seed', () => {
    const once = all(7, 5000);
    expect(digest(all(7, 5000))).toBe(digest(once));
    expect(digest(all(8, 5000))).not.toBe(digest(once));
  });

  it('produces exactly the records asked for, from every agency, with agency-unique external ids', () => {
    expect(place).toHaveLength(20_000);
    const agencies = new Set(place.map((p) => p.record.agency));
    expect([...agencies].sort()).toEqual(NORTHMOOR_AGENCIES.map((a) => a.id).sort());
    const keys = new Set(place.map((p) => `${p.record.agency}/${p.record.externalId}`));
    expect(keys.size).toBe(place.length);
  });

  it('gives valid identifiers except where an error was injected', () => {
    const clean = all(7, 5000, ZERO);
    for (const { record } of clean) {
      for (const id of record.identifiers ?? []) {
        if (id.system === 'nhs-number') expect(isValidNhsNumber(id.value)).toBe(true);
        if (id.system === 'upn') expect(isValidUpn(id.value)).toBe(true);
        if (id.system === 'ni-number') expect(isValidNiNumber(id.value)).toBe(true);
      }
      for (const address of record.addresses ?? []) expect(isValidPostcode(address.postcode!)).toBe(true);
      expect(record.birthDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
  });

  it('with every error rate at zero, all records of one person agree on name and date of birth', () => {
    const byPerson = new Map<string, Set<string>>();
    for (const { record, truth } of all(3, 10_000, ZERO)) {
      const key = `${record.name.given}|${record.name.family}|${record.birthDate}|${nhsOf(record) ?? ''}`.replace(
        /\|\d{10}$/,
        '|nhs',
      );
      byPerson.set(
        truth.personId,
        (byPerson.get(truth.personId) ?? new Set()).add(key.split('|').slice(0, 3).join('|')),
      );
    }
    expect([...byPerson.values()].every((keys) => keys.size === 1)).toBe(true);
  });

  // Tolerances: a binomial rate p over n trials has a standard deviation of sqrt(p(1-p)/n); we allow
  // four of them, so a correct generator fails this about once in 15,000 runs.
  const within = (observed: number, expected: number, n: number) =>
    expect(Math.abs(observed - expected)).toBeLessThanOrEqual(4 * Math.sqrt((expected * (1 - expected)) / n) + 1e-9);

  it('injects wrong NHS check digits, missing dates of birth and malformed postcodes at the configured rates', () => {
    const rates = { nhsWrongCheckDigit: 0.05, dobMissing: 0.04, postcodeMalformed: 0.03 };
    const sample = all(11, 20_000, rates).map((p) => p.record);
    const withNhs = sample.filter((r) => nhsOf(r));
    within(
      withNhs.filter((r) => !isValidNhsNumber(nhsOf(r)!)).length / withNhs.length,
      rates.nhsWrongCheckDigit,
      withNhs.length,
    );
    within(sample.filter((r) => !r.birthDate).length / sample.length, rates.dobMissing, sample.length);
    within(
      sample.filter((r) => !isValidPostcode(r.addresses![0]!.postcode!)).length / sample.length,
      rates.postcodeMalformed,
      sample.length,
    );
  });

  it('duplicates records within one agency at the configured rate', () => {
    const rate = 0.05;
    const sample = all(12, 20_000, { ...ZERO, duplicateWithinAgency: rate });
    const perAgencyPerson = new Map<string, number>();
    for (const { record, truth } of sample)
      perAgencyPerson.set(
        `${record.agency}/${truth.personId}`,
        (perAgencyPerson.get(`${record.agency}/${truth.personId}`) ?? 0) + 1,
      );
    const pairs = [...perAgencyPerson.values()];
    within(pairs.filter((n) => n === 2).length / pairs.length, rate, pairs.length);
  });

  it('swaps day and month, and names, when told to', () => {
    const clean = all(5, 3000, ZERO);
    const swapped = all(5, 3000, { ...ZERO, dobDayMonthSwap: 1, nameSwap: 1 });
    let dobSwaps = 0;
    clean.forEach(({ record }, i) => {
      const other = swapped[i]!.record;
      expect(other.name.given).toBe(record.name.family);
      const [y, m, d] = record.birthDate!.split('-');
      if (Number(d) <= 12 && `${y}-${d}-${m}` <= '2026-06-30') {
        expect(other.birthDate).toBe(`${y}-${d}-${m}`);
        dobSwaps += 1;
      }
    });
    expect(dobSwaps).toBeGreaterThan(500);
  });

  it('builds believable households: children with parents, multi-agency families, rare and double-barrelled names', () => {
    const families = new Map<string, PlaceRecord[]>();
    for (const p of place) families.set(p.truth.familyId, [...(families.get(p.truth.familyId) ?? []), p]);
    const roles = new Set(place.map((p) => p.record.household!.role));
    expect([...roles].sort()).toEqual(['child', 'other-adult', 'parent']);
    const multiAgency = [...families.values()].filter(
      (records) => new Set(records.map((r) => r.record.agency)).size >= 3,
    );
    expect(multiAgency.length / families.size).toBeGreaterThan(0.05);
    const surnames = new Set(place.map((p) => p.record.name.family));
    expect([...surnames].some((s) => /-/.test(s))).toBe(true);
    expect([...surnames].some((s) => /[^\x00-\x7F]/.test(s))).toBe(true);
  });

  it('writes CSV rows that match the header', () => {
    const columns = CSV_HEADER.split(',').length;
    for (const { record } of place.slice(0, 500)) {
      let cells = 1;
      let quoted = false;
      for (const ch of csvRow(record)) {
        if (ch === '"') quoted = !quoted;
        else if (ch === ',' && !quoted) cells += 1;
      }
      expect(cells).toBe(columns);
    }
  });

  it('the CLI writes records, truth and one CSV per agency, and a JSON summary last', () => {
    const out = mkdtempSync(join(tmpdir(), 'place-'));
    const stdout = execFileSync(
      'npx',
      ['--no-install', 'tsx', 'libs/place/src/cli.ts', '--seed', '4', '--records', '3000', '--out', out],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
    );
    const summary = JSON.parse(stdout.trim().split('\n').at(-1)!) as {
      records: number;
      perAgency: Record<string, number>;
    };
    expect(summary.records).toBe(3000);
    const files = readdirSync(out).sort();
    expect(files).toEqual(
      expect.arrayContaining(['records.ndjson', 'truth.csv', 'agencies.json', 'northmoor-health.csv']),
    );
    expect(readFileSync(join(out, 'records.ndjson'), 'utf8').trim().split('\n')).toHaveLength(3000);
    const truth = readFileSync(join(out, 'truth.csv'), 'utf8').trim().split('\n');
    expect(truth[0]).toBe('agency,external_id,person_id,family_id');
    expect(truth).toHaveLength(3001);
    const csvTotal = Object.keys(summary.perAgency).reduce(
      (n, a) =>
        n +
        readFileSync(join(out, `${a}.csv`), 'utf8')
          .trim()
          .split('\n').length -
        1,
      0,
    );
    expect(csvTotal).toBe(3000);
  }, 30_000);
});

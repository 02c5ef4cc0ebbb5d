import { resolve } from 'node:path';
import { readFileSync } from 'node:fs';
import {
  blockHash,
  blockingKeys,
  candidatePairs,
  computeLevels,
  familyKeys,
  fromCanonical,
  fromStored,
  indexRowOf,
  joinKeyHashes,
  keyHashesOf,
  LevelsHelper,
  pairLevels,
  parallelLevels,
  prepareRecord,
  readCsvSource,
  type SourcePage,
  type StoredFeatures,
  toStored,
  validateModelConfig,
  type CsvMapping,
} from '@joinedup/linkage';
import { generatePlace } from '@joinedup/place';
import { textArrayLiteral } from '@joinedup/core';

const DATA = resolve(process.cwd(), '../shared/data/linkage');

describe('comparing on worker threads', () => {
  it('gives exactly the levels computed on one thread', async () => {
    const checked = validateModelConfig(JSON.parse(readFileSync('config/linkage/model.json', 'utf8')));
    if (!checked.ok) throw new Error(checked.problems.join('; '));
    const mapping = JSON.parse(readFileSync('config/linkage/mappings/febrl.json', 'utf8')) as CsvMapping;
    const { records } = readCsvSource(resolve(DATA, 'dataset1.csv'), mapping);
    const prepared = records.map(prepareRecord);
    const { pairs } = candidatePairs(prepared, checked.model.blocking, checked.model.maxBlockSize);
    const single = computeLevels(prepared, pairs, checked.model.comparisons);
    // The table is what pairLevels answers, pair by pair.
    const K = checked.model.comparisons.length;
    const n = prepared.length;
    for (let p = 0; p < pairs.length; p += 7) {
      const i = Math.floor(pairs[p]! / n);
      const one = pairLevels(prepared[i]!, prepared[pairs[p]! - i * n]!, checked.model.comparisons);
      expect(Array.from(single.levels.subarray(p * K, (p + 1) * K))).toEqual(one.levels);
      expect(single.swapped[p] === 1).toBe(one.swapped);
    }
    const workers = parallelLevels(records, checked.model.comparisons, 3);
    try {
      const spread = await workers.levels(prepared, pairs, checked.model.comparisons);
      expect(pairs.length).toBeGreaterThan(1000);
      expect(Buffer.from(spread.levels.buffer).equals(Buffer.from(single.levels.buffer))).toBe(true);
      expect(Buffer.from(spread.swapped.buffer).equals(Buffer.from(single.swapped.buffer))).toBe(true);
    } finally {
      await workers.close();
    }
  }, 60_000);
});

describe('the batch helper thread', () => {
  const checked = validateModelConfig(JSON.parse(readFileSync('config/linkage/model.json', 'utf8')));
  if (!checked.ok) throw new Error(checked.problems.join('; '));
  const model = checked.model;
  // Source records as the batch reads them, with the errors the service sees; one has an invalid NHS number.
  const source = [...generatePlace({ seed: 7, records: 3000 })].map(({ record }, i) => {
    const { agency, ...canonical } = record;
    return { agency, canonical, invalid: i === 5 ? ['identifiers[0].value'] : [] };
  });
  const prepared = source.map((s) => prepareRecord(fromCanonical(s.agency, s.canonical, s.invalid)));
  const page = (from: number, to: number): SourcePage => ({
    agencies: source.slice(from, to).map((s) => s.agency),
    records: source.slice(from, to).map((s) => JSON.stringify(s.canonical)),
    invalidFields: source.slice(from, to).map((s) => s.invalid),
  });

  it('prepares source records page by page, answers their index row parts, and fills the levels alongside this thread exactly', async () => {
    const helper = new LevelsHelper(model.comparisons, model.blocking);
    try {
      // Pages the helper prepares, and one this thread prepared and hands over with its key hashes.
      const first = helper.prepare(page(0, 400));
      const mine = prepared.slice(400, 900);
      helper.add(
        mine.map((p) => JSON.stringify(toStored(p))),
        keyHashesOf(mine, model.blocking),
      );
      const last = helper.prepare(page(900, prepared.length));
      const answers = await Promise.all([first, last]);
      // What comes back is each record's StoredFeatures, in order, as this thread would have prepared them,
      // and their key hashes as this thread would have worked them out.
      const back = answers.flatMap((a) => JSON.parse(a.text) as StoredFeatures[]);
      expect(back).toEqual([...prepared.slice(0, 400), ...prepared.slice(900)].map(toStored));
      expect(answers[0].hashes).toEqual(keyHashesOf(prepared.slice(0, 400), model.blocking));
      expect(answers[1].hashes).toEqual(keyHashesOf(prepared.slice(900), model.blocking));
      expect(prepared[5]!.nhs).toBe('');
      expect(prepared.filter((p) => p.nhs).length).toBeGreaterThan(100);
      const index = helper.indexRows();
      const hashes = joinKeyHashes(
        [answers[0].hashes, keyHashesOf(mine, model.blocking), answers[1].hashes],
        model.blocking.length,
      );
      const { pairs } = candidatePairs(prepared, model.blocking, model.maxBlockSize, hashes);
      // Blocking from hashes worked out apart gives the pairs blocking hashes itself.
      expect(pairs).toEqual(candidatePairs(prepared, model.blocking, model.maxBlockSize).pairs);
      const held = [...back.slice(0, 400).map(fromStored), ...mine, ...back.slice(400).map(fromStored)];
      const spread = await helper.levels(held, pairs);
      const single = computeLevels(prepared, pairs, model.comparisons);
      expect(pairs.length).toBeGreaterThan(1000);
      expect(Buffer.from(spread.levels.buffer).equals(Buffer.from(single.levels.buffer))).toBe(true);
      expect(Buffer.from(spread.swapped.buffer).equals(Buffer.from(single.swapped.buffer))).toBe(true);
      const rows = await index;
      expect(rows.ends).toHaveLength(prepared.length);
      prepared.forEach((_, i) => {
        // COPY text: fields separated by tabs, a tab, line break or backslash in a field escaped.
        const [features, keys, family, ...more] = Buffer.from(indexRowOf(rows, i))
          .toString('utf8')
          .split('\t')
          .map((field) => field.replace(/\\([\\tnr])/g, (_, c: string) => ({ t: '\t', n: '\n', r: '\r' })[c] ?? c));
        expect(more).toEqual([]);
        expect(JSON.parse(features!)).toEqual(toStored(prepared[i]!));
        const hashed = blockingKeys(prepared[i]!, model.blocking).map((k) => String(blockHash(k)));
        expect(keys).toBe(`{${hashed.join(',')}}`);
        expect(family).toBe(textArrayLiteral(familyKeys(prepared[i]!)));
      });
    } finally {
      await helper.close();
    }
  }, 60_000);

  it('escapes for COPY what a record may hold: a backslash or quote in its features, a tab in a family key', async () => {
    const helper = new LevelsHelper(model.comparisons, model.blocking);
    try {
      const odd = source
        .filter((s) => s.canonical.household)
        .slice(0, 3)
        .map((s, i) => ({
          ...s,
          canonical: {
            ...s.canonical,
            externalId: `X\\"${i}`,
            household: { ...s.canonical.household!, reference: 'H\t1' },
          },
        }));
      await helper.prepare({
        agencies: odd.map((s) => s.agency),
        records: odd.map((s) => JSON.stringify(s.canonical)),
        invalidFields: odd.map(() => []),
      });
      const rows = await helper.indexRows();
      odd.forEach((s, i) => {
        const fields = Buffer.from(indexRowOf(rows, i)).toString('utf8').split('\t');
        expect(fields).toHaveLength(3);
        const p = prepareRecord(fromCanonical(s.agency, s.canonical, []));
        expect(fields[0]).toBe(JSON.stringify(toStored(p)).replace(/\\/g, '\\\\'));
        expect(fields[2]).toBe(textArrayLiteral(familyKeys(p)).replace(/\\/g, '\\\\').replace(/\t/g, '\\t'));
        expect(fields[2]).toContain('H\\t1');
      });
    } finally {
      await helper.close();
    }
  });

  it('refuses levels for records it was not given, and fails questions once its thread is gone', async () => {
    const helper = new LevelsHelper(model.comparisons, model.blocking);
    await helper.prepare(page(0, 10));
    await expect(helper.levels(prepared, new Float64Array([1]))).rejects.toThrow(/holds 10 of/);
    await helper.close();
    await expect(helper.indexRows()).rejects.toThrow(/exited/);
  });

  it('fails a page it cannot read, saying which record and not what it holds', async () => {
    const helper = new LevelsHelper(model.comparisons, model.blocking);
    try {
      await helper.prepare(page(0, 2));
      const failed = helper.prepare({ agencies: ['a'], records: ['{"name": "Ann Smith'], invalidFields: [[]] });
      await expect(failed).rejects.toThrow('record 3 could not be prepared (SyntaxError)');
      await expect(failed).rejects.not.toThrow(/Smith/);
    } finally {
      await helper.close();
    }
  });
});

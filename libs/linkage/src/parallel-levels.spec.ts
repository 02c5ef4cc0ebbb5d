import { resolve } from 'node:path';
import { readFileSync } from 'node:fs';
import {
  candidatePairs,
  computeLevels,
  pairLevels,
  parallelLevels,
  prepareRecord,
  readCsvSource,
  validateModelConfig,
  type CsvMapping,
} from '@joinedup/linkage';

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

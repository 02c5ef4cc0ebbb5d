import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  candidatePairs,
  type CsvMapping,
  explainedPairs,
  prepareRecord,
  readCsvSource,
  type TrainedModel,
} from '@joinedup/linkage';

const model = JSON.parse(readFileSync('config/linkage/trained/default.json', 'utf8')) as TrainedModel;
const mapping = JSON.parse(readFileSync('config/linkage/mappings/febrl.json', 'utf8')) as CsvMapping;
const prepared = readCsvSource(resolve(process.cwd(), '../shared/data/linkage/dataset1.csv'), mapping).records.map(
  prepareRecord,
);

describe('explained pairs', () => {
  it("give each kept pair's explanation as JSON text, one string shared by pairs with the same levels", () => {
    const { pairs } = candidatePairs(prepared, model.blocking, model.maxBlockSize);
    const kept = explainedPairs(prepared, pairs, model);
    expect(kept.length).toBeGreaterThan(100);
    const texts = new Set<string>();
    for (const pair of kept) {
      expect(pair.probability).toBeGreaterThanOrEqual(model.thresholds.review);
      expect(pair.comparisonsJson).toBe(JSON.stringify(pair.comparisons));
      texts.add(pair.comparisonsJson!);
    }
    // Far fewer distinct explanations than pairs: the point of sharing them.
    expect(texts.size).toBeLessThan(kept.length / 2);
  });
});

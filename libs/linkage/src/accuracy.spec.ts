import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  type CsvMapping,
  linkRecords,
  pairwiseMetrics,
  readCsvSource,
  validateModelConfig,
  type ModelConfig,
} from '@joinedup/linkage';

// CI clones the repository with ../shared beside it.
const DATA = resolve(process.cwd(), '../shared/data/linkage');
const config = (() => {
  const checked = validateModelConfig(JSON.parse(readFileSync('config/linkage/model.json', 'utf8')));
  if (!checked.ok) throw new Error(checked.problems.join('; '));
  return checked.model as ModelConfig;
})();
const mapping = (name: string) =>
  JSON.parse(readFileSync(`config/linkage/mappings/${name}.json`, 'utf8')) as CsvMapping;

/** The dry run's own path: CSV + mapping -> records -> link -> pairwise metrics, at the fixed default thresholds. */
function f1Of(file: string, map: CsvMapping, truthOf: (row: Record<string, string>) => string): number {
  const { records, rows } = readCsvSource(resolve(DATA, file), map);
  const result = linkRecords(records, config);
  return pairwiseMetrics(result.personOf, rows.map(truthOf)).f1;
}

const febrlTruth = (row: Record<string, string>) => /^rec-(\d+)-/.exec(row.rec_id!)![1]!;

describe('dry-run accuracy at the default thresholds (one model, EM-trained per run)', () => {
  it('finds the shared datasets', () => {
    expect(existsSync(resolve(DATA, 'dataset1.csv'))).toBe(true);
  });

  it.each([
    ['dataset1.csv', 0.995],
    ['dataset2.csv', 0.995],
    ['dataset3.csv', 0.995],
  ])('FEBRL %s reaches F1 %s', (file, target) => {
    expect(f1Of(file, mapping('febrl'), febrlTruth)).toBeGreaterThanOrEqual(target);
  });

  it("Splink's fake_1000 reaches F1 0.90", () => {
    expect(f1Of('splink_datasets_fake_1000.csv', mapping('splink-fake'), (row) => row.cluster!)).toBeGreaterThanOrEqual(
      0.9,
    );
  });
});

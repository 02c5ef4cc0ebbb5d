import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { CSV_HEADER, csvRow, generatePlace } from '@joinedup/place';
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

  it('the synthetic place (20,000 records from nine agencies, as CSV extracts) reaches F1 0.98', () => {
    const dir = mkdtempSync(join(tmpdir(), 'place-'));
    try {
      const lines = new Map<string, string[]>();
      const truthOf = new Map<string, string>();
      for (const { record, truth } of generatePlace({ seed: 5, records: 20_000 })) {
        if (!lines.has(record.agency)) lines.set(record.agency, [CSV_HEADER]);
        lines.get(record.agency)!.push(csvRow(record));
        truthOf.set(`${record.agency}/${record.externalId}`, truth.personId);
      }
      const records = [];
      const truth: string[] = [];
      for (const [agency, rows] of lines) {
        const file = join(dir, `${agency}.csv`);
        writeFileSync(file, `${rows.join('\n')}\n`);
        for (const r of readCsvSource(file, mapping('place')).records) {
          records.push(r);
          truth.push(truthOf.get(r.id)!);
        }
      }
      expect(lines.size).toBe(9);
      const result = linkRecords(records, config);
      expect(pairwiseMetrics(result.personOf, truth).f1).toBeGreaterThanOrEqual(0.98);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

// npm run -s link -- --mapping <mapping.json> [--truth <column>[:<regex>] | --truth-file <truth.csv>]
//                    [--model <model.json>] [--write-model <file>] [--out <clusters.csv>] [--threads <n>]
//                    <a.csv> [<b.csv> ...]
import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import Papa from 'papaparse';
import { type CsvMapping, readCsvSource } from './csv-source.js';
import type { LinkageRecord } from './linkage-record.js';
import { availableParallelism } from 'node:os';
import { linkRecordsWith, pairwiseMetrics, truePairsPerRule } from './link-records.js';
import { parallelLevels } from './parallel-levels.js';
import { validateModelConfig } from './model.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    mapping: { type: 'string' },
    truth: { type: 'string' },
    'truth-file': { type: 'string' },
    model: { type: 'string', default: 'config/linkage/model.json' },
    'write-model': { type: 'string' },
    out: { type: 'string' },
    threads: { type: 'string', default: String(availableParallelism()) },
  },
});
const fail = (message: string): never => {
  console.error(`link: ${message}`);
  process.exit(2);
};
if (!values.mapping || positionals.length === 0)
  fail('usage: npm run -s link -- --mapping <mapping.json> [--truth <column>[:<regex>]] [--out <file>] <a.csv> [...]');
const progress = (message: string) => process.stderr.write(`link: ${message}\n`);
const started = performance.now();

const mapping = JSON.parse(readFileSync(values.mapping!, 'utf8')) as CsvMapping;
const checked = validateModelConfig(JSON.parse(readFileSync(values.model!, 'utf8')));
if (!checked.ok) fail(`model ${values.model}: ${checked.problems.join('; ')}`);
const config = checked.ok ? checked.model : fail('unreachable');

const records: LinkageRecord[] = [];
const truth: string[] = [];
let truthFile: Map<string, string> | null = null;
if (values['truth-file']) {
  const { data: rows } = Papa.parse<Record<string, string>>(readFileSync(values['truth-file'], 'utf8'), {
    header: true,
    skipEmptyLines: 'greedy',
    transform: (v) => v.trim(),
  });
  truthFile = new Map(rows.map((r) => [`${r.agency}/${r.external_id}`, r.person_id!]));
}
const [truthColumn, truthPattern] = values.truth
  ? [
      values.truth.split(':')[0]!,
      values.truth.includes(':') ? new RegExp(values.truth.slice(values.truth.indexOf(':') + 1)) : null,
    ]
  : [null, null];
for (const file of positionals) {
  progress(`reading ${basename(file)}`);
  const { records: fromFile, rows } = readCsvSource(file, mapping);
  fromFile.forEach((record, i) => {
    records.push(record);
    if (truthFile) truth.push(truthFile.get(record.id) ?? `unknown:${record.id}`);
    else if (truthColumn) {
      const raw = rows[i]![truthColumn] ?? '';
      truth.push(truthPattern ? (truthPattern.exec(raw)?.[1] ?? raw) : raw);
    }
  });
}

const threads = Math.max(1, Number(values.threads) || 1);
const workers = parallelLevels(records, config.comparisons, threads);
const comparing = { started: 0, seconds: 0 };
const result = await linkRecordsWith(
  async (prepared, pairs, names) => {
    comparing.started = performance.now();
    const table = await workers.levels(prepared, pairs, names);
    comparing.seconds = (performance.now() - comparing.started) / 1000;
    return table;
  },
  records,
  config,
  { onProgress: progress },
);
await workers.close();
const kept = truth.length > 0 ? truePairsPerRule(result.candidates, truth) : null;
result.rules.forEach((r, i) =>
  progress(
    `rule ${r.rule}: ${r.candidatePairs} candidate pairs${kept ? `, keeps ${kept[i]} true pairs` : ''}${r.skippedBlocks ? `, ${r.skippedBlocks} oversized blocks skipped` : ''}`,
  ),
);
if (values['write-model']) writeFileSync(values['write-model'], `${JSON.stringify(result.model, null, 2)}\n`);
if (values.out) {
  const lines = ['record_id,person'];
  records.forEach((r, i) => lines.push(`${r.id},${result.personOf[i]}`));
  writeFileSync(values.out, `${lines.join('\n')}\n`);
}
const seconds = (performance.now() - started) / 1000;
const metrics = truth.length > 0 ? pairwiseMetrics(result.personOf, truth) : null;
const predictedPairs = metrics?.predictedPairs ?? null;
console.log(
  JSON.stringify({
    records: records.length,
    candidatePairs: result.candidatePairs,
    truePairs: metrics?.truePairs ?? null,
    predictedPairs,
    precision: metrics ? Number(metrics.precision.toFixed(4)) : null,
    recall: metrics ? Number(metrics.recall.toFixed(4)) : null,
    f1: metrics ? Number(metrics.f1.toFixed(4)) : null,
    seconds: Number(seconds.toFixed(2)),
    comparisonsPerSecond: Math.round(result.comparisons / Math.max(comparing.seconds, 1e-9)),
    threads,
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
  }),
);

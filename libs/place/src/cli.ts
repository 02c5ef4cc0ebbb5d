// npm run -s place -- --seed <n> --records <n> --out <dir>
// Writes records.ndjson, truth.csv, <agency>.csv and agencies.json; progress on stderr; one JSON line last.
import { createWriteStream, mkdirSync, writeFileSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { csvField, CSV_HEADER, csvRow } from './csv.js';
import { generatePlace, placeAgencies } from './generate.js';

const { values } = parseArgs({
  options: {
    seed: { type: 'string', default: '1' },
    records: { type: 'string', default: '10000' },
    out: { type: 'string' },
    'as-of': { type: 'string' },
  },
});
const seed = Number(values.seed);
const records = Number(values.records);
if (!values.out || !Number.isInteger(seed) || !Number.isInteger(records) || records < 1) {
  console.error('usage: npm run -s place -- --seed <integer> --records <count> --out <dir> [--as-of YYYY-MM-DD]');
  process.exit(2);
}
const out = values.out;
mkdirSync(out, { recursive: true });
const started = process.hrtime.bigint();

/** Buffered writer that respects backpressure: memory stays flat however many records. */
class Sink {
  private buffer: string[] = [];
  private size = 0;
  constructor(readonly stream: WriteStream) {}
  async write(line: string): Promise<void> {
    this.buffer.push(line);
    this.size += line.length;
    if (this.size > 1 << 16) await this.flush();
  }
  async flush(): Promise<void> {
    if (this.buffer.length === 0) return;
    const ok = this.stream.write(this.buffer.join(''));
    this.buffer = [];
    this.size = 0;
    if (!ok) await new Promise<void>((resolve) => this.stream.once('drain', () => resolve()));
  }
  async close(): Promise<void> {
    await this.flush();
    await new Promise<void>((resolve) => this.stream.end(() => resolve()));
  }
}

const directory = placeAgencies({ records });
writeFileSync(join(out, 'agencies.json'), `${JSON.stringify(directory, null, 2)}\n`);
const ndjson = new Sink(createWriteStream(join(out, 'records.ndjson')));
const truth = new Sink(createWriteStream(join(out, 'truth.csv')));
await truth.write('agency,external_id,person_id,family_id\n');
const perAgency = new Map<string, Sink>();
const counts: Record<string, number> = {};
const persons = new Set<string>();
const families = new Set<string>();
let n = 0;
for (const { record, truth: t } of generatePlace({
  seed,
  records,
  ...(values['as-of'] ? { asOf: values['as-of'] } : {}),
})) {
  n += 1;
  let sink = perAgency.get(record.agency);
  if (!sink) {
    sink = new Sink(createWriteStream(join(out, `${record.agency}.csv`)));
    await sink.write(`${CSV_HEADER}\n`);
    perAgency.set(record.agency, sink);
  }
  counts[record.agency] = (counts[record.agency] ?? 0) + 1;
  persons.add(t.personId);
  families.add(t.familyId);
  await ndjson.write(`${JSON.stringify(record)}\n`);
  await truth.write(`${[record.agency, record.externalId, t.personId, t.familyId].map(csvField).join(',')}\n`);
  await sink.write(`${csvRow(record)}\n`);
  if (n % 100_000 === 0)
    process.stderr.write(`place: ${n.toLocaleString('en-GB')} / ${records.toLocaleString('en-GB')} records\n`);
}
await Promise.all([ndjson.close(), truth.close(), ...[...perAgency.values()].map((s) => s.close())]);
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
process.stderr.write(`place: done, ${n.toLocaleString('en-GB')} records in ${seconds.toFixed(1)} s\n`);
console.log(
  JSON.stringify({
    records: n,
    persons: persons.size,
    families: families.size,
    perAgency: Object.fromEntries(Object.entries(counts).sort()),
    seconds: Number(seconds.toFixed(2)),
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
  }),
);

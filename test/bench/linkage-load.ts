// Loads a synthetic place for bench:linkage, in its own process: the generated records (a gigabyte at a
// million) never sit in the heap of the process that runs the timed batch, as they never sit in a worker's.
// Usage: tsx test/bench/linkage-load.ts <owner database url> <records> <held back> <seed>. Copies all
// but the held-back records into source_record and every record's true person into bench_truth; prints
// the held-back records as one JSON array on stdout.
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { contentHash } from '@joinedup/core';
import { generatePlace } from '@joinedup/place';

const [ownerUrl, records, heldBack, seed] = process.argv.slice(2);
const place = [...generatePlace({ seed: Number(seed), records: Number(records) })];
const held = place.splice(place.length - Number(heldBack), Number(heldBack));
const csvField = (v: string) => `"${v.replace(/"/g, '""')}"`;

async function copy(client: pg.Client, sql: string, lines: Iterable<string>): Promise<void> {
  const stream = client.query(copyFrom(sql));
  for (const line of lines) if (!stream.write(`${line}\n`)) await new Promise((r) => stream.once('drain', r));
  await new Promise<void>((resolve, reject) =>
    stream.end((error?: Error | null) => (error ? reject(error) : resolve())),
  );
}

const owner = new pg.Client({ connectionString: ownerUrl });
await owner.connect();
await copy(
  owner,
  `COPY source_record (agency_id, external_id, version, content_hash, record) FROM STDIN WITH (FORMAT csv)`,
  (function* () {
    for (const { record } of place) {
      const { agency, ...canonical } = record;
      yield [agency, record.externalId, String(record.version), contentHash(canonical), JSON.stringify(canonical)]
        .map(csvField)
        .join(',');
    }
  })(),
);
await owner.query(`CREATE TABLE bench_truth (agency_id text, external_id text, person text)`);
await copy(
  owner,
  `COPY bench_truth FROM STDIN WITH (FORMAT csv)`,
  (function* () {
    for (const { record, truth } of [...place, ...held])
      yield [record.agency, record.externalId, truth.personId].map(csvField).join(',');
  })(),
);
await owner.end();
process.stdout.write(JSON.stringify(held.map((h) => h.record)));

// npm run bench:ingest [-- --records 200000]
// Streams synthetic-place records through the real HTTP bulk endpoint of the built api into PostgreSQL,
// then COPYs the same rows into a scratch table on the same machine, and prints one JSON line last.
import { request } from 'node:http';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { generatePlace } from '@joinedup/place';
import { registerAgencyClient, signIn } from '@joinedup/testing';
import { BENCH_ADMIN, benchDatabase, benchEnv, progress, startBuiltApi } from './support.js';

const { values } = parseArgs({
  options: { records: { type: 'string', default: '200000' }, seed: { type: 'string', default: '1' } },
});
const total = Number(values.records);
const AGENCY = 'bench-agency';

const lineOf = (i: number, record: Record<string, unknown>): string =>
  `${JSON.stringify({ ...record, agency: AGENCY, externalId: `R-${i}` })}\n`;

progress(`ingest: preparing a database and the built api`);
const db = await benchDatabase('joinedup_bench_ingest');
const api = await startBuiltApi(benchEnv(db, `bench-${Date.now()}`));
const client = await registerAgencyClient(api.base, await signIn(api.base, BENCH_ADMIN.email, BENCH_ADMIN.password), {
  agencyId: AGENCY,
});
const token = await client.getToken();

progress(`ingest: streaming ${total.toLocaleString('en-GB')} records to POST /v1/records:bulk`);
const started = performance.now();
const summary = await new Promise<Record<string, number>>((resolve, reject) => {
  const req = request(`${api.base}/v1/records:bulk`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-ndjson' },
  });
  req.on('error', reject);
  req.on('response', (res) => {
    let tail = '';
    let answered = 0;
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      const text = tail + chunk;
      const lines = text.split('\n');
      tail = lines.pop() ?? '';
      answered += lines.length;
      if (answered % 50_000 < lines.length) progress(`ingest: ${answered.toLocaleString('en-GB')} answered`);
      const last = lines.at(-1);
      if (last?.startsWith('{"summary"')) resolve((JSON.parse(last) as { summary: Record<string, number> }).summary);
    });
    res.on(
      'end',
      () => tail.startsWith('{"summary"') && resolve((JSON.parse(tail) as { summary: Record<string, number> }).summary),
    );
  });
  void (async () => {
    let i = 0;
    let buffer = '';
    for (const { record } of generatePlace({ seed: Number(values.seed), records: total })) {
      buffer += lineOf(i, record as unknown as Record<string, unknown>);
      i += 1;
      if (buffer.length > 1 << 16) {
        if (!req.write(buffer)) await new Promise((r) => req.once('drain', r));
        buffer = '';
      }
    }
    req.end(buffer);
  })();
});
const seconds = (performance.now() - started) / 1000;
const peakRssMb = api.peakRssMb();
await api.stop();
if (summary.accepted !== total) throw new Error(`expected ${total} accepted, got ${JSON.stringify(summary)}`);

progress(`ingest: COPY of the same rows into a scratch table (baseline)`);
const pgClient = new pg.Client({ connectionString: db.ownerUrl });
await pgClient.connect();
await pgClient.query(
  `CREATE TABLE copy_baseline (agency_id text, external_id text, version int, content_hash text, record jsonb)`,
);
const copyStarted = performance.now();
await new Promise<void>((resolve, reject) => {
  const stream = pgClient.query(copyFrom(`COPY copy_baseline FROM STDIN WITH (FORMAT csv)`));
  stream.on('finish', () => resolve());
  stream.on('error', reject);
  void (async () => {
    let i = 0;
    let buffer = '';
    for (const { record } of generatePlace({ seed: Number(values.seed), records: total })) {
      const json = JSON.stringify({ ...record, externalId: `R-${i}` }).replace(/"/g, '""');
      buffer += `${AGENCY},R-${i},1,x,"${json}"\n`;
      i += 1;
      if (buffer.length > 1 << 16) {
        if (!stream.write(buffer)) await new Promise((r) => stream.once('drain', r));
        buffer = '';
      }
    }
    stream.end(buffer);
  })();
});
const copySeconds = (performance.now() - copyStarted) / 1000;
await pgClient.end();

const recordsPerSecond = Math.round(total / seconds);
const copyRowsPerSecond = Math.round(total / copySeconds);
console.log(
  JSON.stringify({
    records: total,
    seconds: Number(seconds.toFixed(2)),
    recordsPerSecond,
    peakRssMb,
    copyRowsPerSecond,
    ratio: Number((recordsPerSecond / copyRowsPerSecond).toFixed(3)),
  }),
);

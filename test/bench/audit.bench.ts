// npm run bench:audit [-- --events 1000000 --batch 1000 --singles 2000]
// Appends audit events through the real writer (the app role, one transaction per batch or per single
// event, as callers do), then verifies the whole chain from PostgreSQL page by page. One JSON line last.
import { parseArgs } from 'node:util';
import { AuditVerifier, AuditWriter, type AuditEventInput } from '@joinedup/audit';
import { createDataSource, withAgencyScope } from '@joinedup/persistence';
import { benchDatabase, progress } from './support.js';

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '1000000' },
    batch: { type: 'string', default: '1000' },
    singles: { type: 'string', default: '2000' },
    'page-size': { type: 'string', default: '10000' },
  },
});
const total = Number(values.events);
const batchSize = Number(values.batch);
const singles = Math.min(Number(values.singles), total);
const pageSize = Number(values['page-size']);
const AGENCIES = ['leeds-csc', 'leeds-police', 'leeds-housing', 'leeds-health'];
const START = Date.UTC(2026, 10, 1);

function event(i: number): AuditEventInput {
  const agency = AGENCIES[i % AGENCIES.length]!;
  return {
    type: i % 3 === 0 ? 'decision' : 'disclosure',
    actor: { kind: 'agency-client', id: `client-${agency}`, agency },
    agencyId: agency,
    purpose: 'case-coordination',
    subjects: [`rec-${i}`, `person-${i % 50_000}`],
    decision: i % 7 === 0 ? 'deny' : 'allow',
    agreement: { id: 'agreement-leeds-1', version: 3 },
    details: { fields: ['name', 'dateOfBirth', 'address'], correlationId: `c-${i >> 4}` },
    at: new Date(START + i * 10),
  };
}

progress(`audit: preparing a database`);
const db = await benchDatabase('joinedup_bench_audit');
const dataSource = createDataSource(db.appUrl);
await dataSource.initialize();
const writer = new AuditWriter();

progress(`audit: ${singles.toLocaleString('en-GB')} single appends, one transaction each`);
let started = performance.now();
for (let i = 0; i < singles; i += 1) {
  const input = event(i);
  await withAgencyScope(dataSource, input.agencyId!, (manager) => writer.append(manager, input));
}
const singleAppendPerSecond = Math.round(singles / ((performance.now() - started) / 1000));
progress(`audit: ${singleAppendPerSecond}/s single`);

const bulk = total - singles;
progress(`audit: ${bulk.toLocaleString('en-GB')} more in appendMany batches of ${batchSize}, one transaction each`);
started = performance.now();
for (let done = 0; done < bulk;) {
  const size = Math.min(batchSize, bulk - done);
  const batch = Array.from({ length: size }, (_, k) => event(singles + done + k));
  await withAgencyScope(dataSource, AGENCIES[done % AGENCIES.length]!, (manager) => writer.appendMany(manager, batch));
  done += size;
  if (done % 100_000 < size) progress(`audit: ${(singles + done).toLocaleString('en-GB')} appended`);
}
const appendPerSecond = Math.round(bulk / ((performance.now() - started) / 1000));
progress(`audit: ${appendPerSecond}/s in batches; verifying ${total.toLocaleString('en-GB')} events`);

started = performance.now();
const result = await new AuditVerifier(dataSource).verify({
  pageSize,
  onProgress: (n) => progress(`audit: ${n.toLocaleString('en-GB')} verified`),
});
const verifySeconds = Math.round(performance.now() - started) / 1000;
await dataSource.destroy();
if (!result.ok || result.checked !== total) throw new Error(`verification failed: ${JSON.stringify(result)}`);

console.log(
  JSON.stringify({
    events: total,
    appendPerSecond,
    singleAppendPerSecond,
    verifySeconds,
    verifyPerSecond: Math.round(total / verifySeconds),
  }),
);

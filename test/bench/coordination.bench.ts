// npm run bench:coordination -- [--rate 200] [--seconds 20] [--warmup 10] [--warmup-rate 50] [--deliveries 10000]
// Records through intake at a steady rate to signed webhooks at a local receiver (record -> webhook
// latency), then delivery throughput alone, then raw BullMQ jobs through the same Redis as a baseline.
// Prints one JSON line last.
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import pg from 'pg';
import { bullPrefix } from '@joinedup/messaging';
import { generatePlace } from '@joinedup/place';
import { registerAgencyClient, signIn } from '@joinedup/testing';
import {
  BENCH_ADMIN,
  benchDatabase,
  benchEnv,
  keepAliveClient,
  progress,
  quantile,
  startBuiltApi,
  startBuiltWorker,
} from './support.js';

const { values } = parseArgs({
  options: {
    rate: { type: 'string', default: '200' },
    seconds: { type: 'string', default: '20' },
    // Sent first, at a lower rate, and not measured: the processes' code is compiled and their pools and
    // plans made, as in a service that has been running, before the measured rate starts. Their latencies
    // are shown, not counted.
    warmup: { type: 'string', default: '10' },
    'warmup-rate': { type: 'string', default: '50' },
    deliveries: { type: 'string', default: '10000' },
  },
});
const rate = Number(values.rate);
const seconds = Number(values.seconds);
const warmup = Number(values.warmup);
const warmupRate = Number(values['warmup-rate']);
/** Records sent in the warm-up (even: a family's two records go in the same phase). */
const warmupCount = 2 * Math.round((warmup * warmupRate) / 2);
const deliveryCount = Number(values.deliveries);
const A = 'bench-csc';
const B = 'bench-health';
const prefix = `bench-coord-${randomBytes(4).toString('hex')}`;
const EVENTS = ['case.opened', 'case.updated', 'case.closed', 'offer.made', 'lead.assigned'];

/** The receiver an agency system would run: first arrival of each case, and every delivery's time. */
const firstByCase = new Map<string, number>();
const arrivals: number[] = [];
const receiver = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const now = performance.now();
    arrivals.push(now);
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { data: { caseId?: string } };
    const caseId = body.data.caseId;
    if (caseId && !firstByCase.has(caseId)) firstByCase.set(caseId, now);
    res.writeHead(204).end();
  });
});
await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
const hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;

progress('coordination: a fresh database, the built api and worker');
const db = await benchDatabase('joinedup_bench_coordination');
const env = benchEnv(db, prefix, { RATE_LIMIT_PER_MINUTE: '10000000', WEBHOOK_ALLOW_HOSTS: '127.0.0.1' });
const api = await startBuiltApi(env);
const worker = await startBuiltWorker(env);
const adminToken = await signIn(api.base, BENCH_ADMIN.email, BENCH_ADMIN.password);
const { call, close: closeClient } = keepAliveClient(api.base, 256);

/** Which queue is behind: waiting jobs per queue from the worker's /metrics. */
async function backlog(): Promise<string> {
  try {
    const text = await (await fetch(`http://127.0.0.1:${worker.port}/metrics`)).text();
    // Active counts too: the workers take up to 64 jobs at once and group-commit them.
    const count = (q: string, state: string) =>
      Number(new RegExp(`joinedup_queue_jobs\\{queue="${q}",state="${state}"\\} (\\d+)`).exec(text)?.[1] ?? 0);
    const queues = [...new Set([...text.matchAll(/joinedup_queue_jobs\{queue="([a-z]+)"/g)].map((m) => m[1]!))];
    return queues.map((q) => `${q} ${count(q, 'waiting') + count(q, 'active')}`).join(', ') + ' waiting or active';
  } catch {
    return 'queues unknown';
  }
}

const tokens: Record<string, string> = {};
const ig: Record<string, string> = {};
for (const [agencyId, sector] of [
  [A, 'children-social-care'],
  [B, 'health'],
] as const) {
  tokens[agencyId] = await (await registerAgencyClient(api.base, adminToken, { agencyId, sector })).getToken();
  for (const [ref, roles] of [
    [`${agencyId}-ig`, ['ig-officer']],
    [`${agencyId}-w1`, ['caseworker']],
  ] as const) {
    const password = `password-${ref}-123`;
    await call(adminToken, 'POST', `/v1/admin/agencies/${agencyId}/people`, {
      staffRef: ref,
      email: `${ref}@bench.invalid`,
      displayName: ref,
      roles,
      password,
    });
    if (roles[0] === 'ig-officer') ig[agencyId] = await signIn(api.base, `${ref}@bench.invalid`, password);
  }
  await call(adminToken, 'POST', `/v1/admin/agencies/${agencyId}/webhooks`, { url: hookUrl, eventTypes: EVENTS });
}
const day = 86_400_000;
const draft = await call(ig[A]!, 'POST', '/v1/governance/agreements', {
  title: 'Benchmark place',
  parties: [A, B],
  purposes: ['identity-matching', 'case-coordination'],
  flows: [
    { from: A, to: B, categories: ['identity', 'involvement'] },
    { from: B, to: A, categories: ['identity', 'involvement'] },
  ],
  lawfulBasis: { article6: 'public-task', gateway: 'Children Act 2004 s10' },
  consentRule: 'not-required',
  validFrom: new Date(Date.now() - day).toISOString(),
  validTo: new Date(Date.now() + 365 * day).toISOString(),
  reviewDate: new Date(Date.now() + 180 * day).toISOString(),
  dpiaReference: 'DPIA-BENCH',
});
const agreementId = draft.body.id as string;
await call(ig[A]!, 'POST', `/v1/governance/agreements/${agreementId}/submit`);
await call(ig[B]!, 'POST', `/v1/governance/agreements/${agreementId}/approve`);
await call(ig[A]!, 'POST', `/v1/governance/agreements/${agreementId}/activate`);
await new Promise((r) => setTimeout(r, 1500)); // the worker's engine picks up the agreement

// Phase 1: a steady stream of records; each family is two records (one per agency) and opens a case.
const total = warmupCount + rate * seconds;
// Distinct people from the synthetic place (realistic names and dates of birth), one record per agency each.
const people: { name: unknown; birthDate?: string; sex?: string; identifiers?: unknown }[] = [];
const seen = new Set<string>();
for (const { record, truth } of generatePlace({ seed: 11, records: total * 4 })) {
  if (seen.has(truth.personId) || !record.birthDate) continue;
  seen.add(truth.personId);
  people.push({ name: record.name, birthDate: record.birthDate, sex: record.sex, identifiers: record.identifiers });
  if (people.length >= total / 2) break;
}
const record = (i: number, agency: string) => ({
  externalId: `${agency === A ? 'a' : 'b'}-${i}`,
  version: 1,
  ...people[i]!,
  involvement: { status: 'open', worker: `${agency}-w1` },
  needs: [agency === A ? 'child-protection' : 'health'],
});
const sentAt = new Map<string, number>();
const failures: number[] = [];
progress(
  `coordination: ${warmupCount} records at ${warmupRate}/s to warm up, then ${total - warmupCount} records at ${rate}/s through intake`,
);
const start = performance.now();
const inflight: Promise<void>[] = [];
const measuredFrom = start + warmup * 1000;
for (let k = 0; k < total; k++) {
  const due = k < warmupCount ? start + (k * 1000) / warmupRate : measuredFrom + ((k - warmupCount) * 1000) / rate;
  const wait = due - performance.now();
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  const family = k >> 1;
  const agency = k % 2 === 0 ? A : B;
  const body = record(family, agency);
  inflight.push(
    (async () => {
      const t = performance.now();
      // An api too busy to accept the connection is a failed send (status 0), not the end of the run.
      const r = await call(tokens[agency]!, 'PUT', `/v1/records/${body.externalId}`, body).catch(() => ({
        status: 0,
      }));
      if (r.status !== 200) return void failures.push(r.status);
      if (agency === B) sentAt.set(`${B}/${body.externalId}`, t);
    })(),
  );
  if (k % (rate * 5) === 0 && k > 0)
    progress(`  ${k} records sent, ${firstByCase.size} cases notified; ${await backlog()}`);
}
await Promise.all(inflight);
const sendSeconds = (performance.now() - start) / 1000;
progress(`  sent in ${sendSeconds.toFixed(1)} s; waiting for the last webhooks`);
const expectedCases = total / 2;
const waitUntil = performance.now() + 120_000;
let lastReport = performance.now();
while (firstByCase.size < expectedCases && performance.now() < waitUntil) {
  await new Promise((r) => setTimeout(r, 250));
  if (performance.now() - lastReport > 5000) {
    lastReport = performance.now();
    progress(`  ${firstByCase.size} of ${expectedCases} cases notified; ${await backlog()}`);
  }
}

// Which record completed each family: the case's family, its agency-B record (sent second).
const owner = new pg.Client({ connectionString: db.ownerUrl });
await owner.connect();
const { rows } = await owner.query<{ case_id: string; ref: string }>(
  `SELECT c.id AS case_id, sr.agency_id || '/' || sr.external_id AS ref FROM coordinated_case c
   JOIN linked_person lp ON lp.family_id = c.family_id JOIN linkage_record lr ON lr.person_id = lp.id
   JOIN source_record sr ON sr.id = lr.source_record_id WHERE sr.agency_id = $1`,
  [B],
);
const latencies: number[] = [];
const warmupLatencies: number[] = [];
// By when the record was sent, in 5-second windows: a latency that grows window by window is a queue
// falling behind; a steady one with a high p99 is stalls.
const byWindow = new Map<number, number[]>();
for (const r of rows) {
  const sent = sentAt.get(r.ref);
  const arrived = firstByCase.get(r.case_id);
  if (sent === undefined || arrived === undefined) continue;
  (sent < measuredFrom ? warmupLatencies : latencies).push(arrived - sent);
  const window = Math.floor((sent - start) / 5000);
  byWindow.set(window, [...(byWindow.get(window) ?? []), arrived - sent]);
}
if (warmupLatencies.length > 0)
  progress(
    `  warm-up (${warmup} s at ${warmupRate}/s, not counted): p50 ${Math.round(quantile(warmupLatencies, 0.5))} ms, p99 ${Math.round(quantile(warmupLatencies, 0.99))} ms`,
  );
progress(
  '  by when sent: ' +
    [...byWindow]
      .sort(([a], [b]) => a - b)
      .map(
        ([w, l]) =>
          `${w * 5}-${w * 5 + 5} s p50 ${Math.round(quantile(l, 0.5))} p99 ${Math.round(quantile(l, 0.99))} ms`,
      )
      .join('; '),
);
const statusCounts = new Map<number, number>();
for (const status of failures) statusCounts.set(status, (statusCounts.get(status) ?? 0) + 1);
const byStatus = [...statusCounts].map(([status, count]) => `${count} x ${status}`);
progress(
  `  ${latencies.length} of ${expectedCases - warmupLatencies.length} cases measured after the warm-up; ${failures.length} intake failures${failures.length ? ` (status: ${byStatus.join(', ')})` : ''}`,
);

// Phase 2: delivery throughput alone, notifications written as the case service writes them.
progress(`coordination: ${deliveryCount} notifications straight to delivery`);
const before = arrivals.length;
const deliveryStart = performance.now();
await owner.query(
  `WITH n AS (INSERT INTO notification (agency_id, case_id, type, payload)
     SELECT $1, gen_random_uuid(), 'case.updated', jsonb_build_object('n', i) FROM generate_series(1, $2) i
     RETURNING id, agency_id)
   INSERT INTO outbox_event (topic, agency_id, payload)
   SELECT 'notification.created', agency_id, jsonb_build_object('notificationId', id::text, 'correlationId', 'bench') FROM n`,
  [A, deliveryCount],
);
const deliveryDeadline = performance.now() + 300_000;
while (arrivals.length - before < deliveryCount && performance.now() < deliveryDeadline)
  await new Promise((r) => setTimeout(r, 100));
const delivered = arrivals.length - before;
const deliveriesPerSecond = delivered / ((arrivals.at(-1)! - deliveryStart) / 1000);
await owner.end();
await worker.stop();
await api.stop();
closeClient();

// Phase 3: the baseline: empty jobs through the same Redis, one worker process (this one).
progress('coordination: raw BullMQ baseline (empty jobs, same Redis)');
const connection = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: null });
const rawQueue = new Queue('raw-baseline', { connection, prefix: bullPrefix(prefix) });
const rawCount = deliveryCount;
let done = 0;
const rawStart = performance.now();
const workerConnection = connection.duplicate();
const rawWorker = new Worker('raw-baseline', async () => undefined, {
  connection: workerConnection,
  prefix: bullPrefix(prefix),
  concurrency: 32,
});
rawWorker.on('completed', () => void done++);
for (let i = 0; i < rawCount; i += 1000)
  await rawQueue.addBulk(Array.from({ length: Math.min(1000, rawCount - i) }, () => ({ name: 'empty', data: {} })));
while (done < rawCount) await new Promise((r) => setTimeout(r, 20));
const rawBullmqJobsPerSecond = rawCount / ((performance.now() - rawStart) / 1000);
await rawWorker.close();
await rawQueue.close();
// The run's queues (the apps' and the baseline's) leave nothing behind in a shared Redis.
let cursor = '0';
do {
  const [next, keys] = await connection.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
  cursor = next;
  if (keys.length > 0) await connection.del(...keys);
} while (cursor !== '0');
connection.disconnect();
workerConnection.disconnect();
receiver.close();

const result = {
  records: total,
  rate,
  warmupSeconds: warmup,
  warmupRate,
  casesNotified: firstByCase.size,
  casesMeasured: latencies.length,
  intakeFailures: failures.length,
  recordToWebhookP50Ms: Math.round(quantile(latencies, 0.5)),
  recordToWebhookP99Ms: Math.round(quantile(latencies, 0.99)),
  deliveries: delivered,
  deliveriesPerSecond: Math.round(deliveriesPerSecond),
  rawBullmqJobsPerSecond: Math.round(rawBullmqJobsPerSecond),
};
console.log(JSON.stringify(result));

// npm run bench:linkage [-- --records 100000 --incremental 1000 --seed 4 --workers 2 --partitions 2]
// Linkage in the service on real PostgreSQL: loads synthetic-place records from nine agencies (COPY,
// not timed), runs the batch re-link from scratch (timed) as the service does, spread over --workers
// built worker processes through BullMQ (--workers 0: in this process), then links held-back records one
// at a time against the stored population through the persistent blocking index (each timed). The
// baseline in the same run is the same batch over a tenth of the records. Progress on stderr; one JSON
// line last.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import pg from 'pg';
import { AuditSequencer } from '@joinedup/audit';
import { type CanonicalRecordLine, contentHash } from '@joinedup/core';
import { GovernanceEngine } from '@joinedup/governance';
import { pairwiseMetrics } from '@joinedup/linkage';
import { LinkageService, loadTrainedModel, relinkAll, RelinkRuns } from '@joinedup/linkage-service';
import { queueRelinkRun } from '@joinedup/messaging';
import { agreementToJson, createDataSource, SourceRecordRepository } from '@joinedup/persistence';
import { NORTHMOOR_AGENCIES } from '@joinedup/place';
import { identityMatchingAgreement } from '@joinedup/testing';
import { benchDatabase, progress, quantile, startBuiltWorker } from './support.js';

const { values } = parseArgs({
  options: {
    records: { type: 'string', default: '100000' },
    // A p99 from 1,000 samples rests on its ten slowest; from 300, on three (one slow fsync moves it).
    incremental: { type: 'string', default: '1000' },
    seed: { type: 'string', default: '4' },
    workers: { type: 'string', default: '2' },
    // Default: one partition per worker process (each partition prepares every record).
    partitions: { type: 'string' },
  },
});
const workerCount = Number(values.workers);
const partitions = Number(values.partitions ?? Math.max(1, workerCount));
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const total = Number(values.records);
const incrementalCount = Number(values.incremental);

/**
 * Generates and loads the place in a child process (see linkage-load.ts), so that the process timing
 * the batch holds none of it; answers the held-back records.
 */
async function loadPlace(ownerUrl: string, count: number, incremental: number): Promise<CanonicalRecordLine[]> {
  progress(`loading ${count - incremental} records by COPY`);
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'test/bench/linkage-load.ts', ownerUrl, String(count), String(incremental), values.seed!],
    { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, NODE_OPTIONS: '--max-old-space-size=8192' } },
  );
  const chunks: Buffer[] = [];
  child.stdout.on('data', (c: Buffer) => chunks.push(c));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`loading the place failed (exit ${code})`);
  return JSON.parse(Buffer.concat(chunks).toString('utf8')) as CanonicalRecordLine[];
}

async function run(count: number, incremental: number) {
  const db = await benchDatabase(`joinedup_bench_linkage_${count}`);
  const held = await loadPlace(db.ownerUrl, count, incremental);
  const loaded = count - incremental;
  const owner = new pg.Client({ connectionString: db.ownerUrl });
  await owner.connect();
  // A batch re-link runs over records that arrived over weeks, long since vacuumed and checkpointed: the
  // load's aftermath (autovacuum of a million new rows, setting their hint bits, and the checkpoint of
  // its gigabyte of WAL) is settled here, untimed, as it is after the batch below.
  await owner.query('VACUUM ANALYZE');
  await owner.query('CHECKPOINT');

  const agreement = identityMatchingAgreement(NORTHMOOR_AGENCIES.map((a) => a.id));
  // The worker processes govern from the register, as in production.
  await owner.query(
    `INSERT INTO agreement_version (id, version, status, parties, content, author) VALUES ($1, $2, $3, $4, $5, 'bench')`,
    [agreement.id, agreement.version, agreement.status, agreement.parties, agreementToJson(agreement)],
  );
  const dataSource = createDataSource(db.appUrl);
  await dataSource.initialize();
  const service = new LinkageService(dataSource, loadTrainedModel(), {
    engine: GovernanceEngine.create([agreement]),
  });
  progress(
    `batch re-link of ${loaded} records (${workerCount ? `${workerCount} worker processes, ${partitions} partitions` : 'in this process'})`,
  );
  let workersPeakRssMb = 0;
  let started = performance.now();
  const stage = (s: string) => progress(`  ${((performance.now() - started) / 1000).toFixed(1)} s  ${s}`);
  let diff;
  let batchSeconds = 0;
  if (workerCount === 0) {
    diff = await relinkAll(dataSource, service, { onProgress: stage });
    batchSeconds = (performance.now() - started) / 1000;
  } else {
    const prefix = `bench-linkage-${randomBytes(4).toString('hex')}`;
    const env = { DATABASE_URL: db.appUrl, DATABASE_OWNER_URL: db.ownerUrl, REDIS_URL: redisUrl, REDIS_PREFIX: prefix };
    const workers = await Promise.all(Array.from({ length: workerCount }, () => startBuiltWorker(env)));
    const redis = new Redis(redisUrl, { maxRetriesPerRequest: null });
    const runs = new RelinkRuns(dataSource, service);
    // Timed from queueing: in production the worker processes are already running.
    started = performance.now();
    const id = await runs.create({ dryRun: false, partitions, requestedBy: 'bench' });
    await queueRelinkRun(redis, prefix, id, partitions);
    let shown = '';
    for (;;) {
      const run = await runs.view(id);
      const line = `${run.status}: ${run.scored.length}/${partitions} partitions scored`;
      if (line !== shown) stage((shown = line));
      if (run.status === 'failed') throw new Error(`the run failed: ${run.error}`);
      if (run.status === 'done') {
        batchSeconds = (performance.now() - started) / 1000;
        diff = run.diff!;
        for (const s of run.scored)
          progress(`    partition ${s.partition}: ${s.worker}, ${s.candidatePairs} pairs, ${s.seconds} s`);
        break;
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    workersPeakRssMb = Math.max(...workers.map((w) => w.peakRssMb()));
    await Promise.all(workers.map((w) => w.stop()));
    // The run's queues leave nothing behind in a shared Redis (a privacy test scans every key).
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
    redis.disconnect();
  }
  progress(`  batch: ${batchSeconds.toFixed(1)} s`);
  // What follows a bulk change in the background, done now so the incremental figures measure the steady
  // state and not the batch's aftermath: autovacuum's work, the chaining of the batch's audit events
  // (a million subjects: seconds of writing, whose WAL each single record's commit would queue behind),
  // and the checkpoint of the batch's gigabytes of WAL.
  await owner.query('VACUUM ANALYZE');
  await AuditSequencer.of(dataSource).flush();
  await owner.query('CHECKPOINT');

  const latencies: number[] = [];
  if (incremental > 0) {
    progress(`linking ${incremental} new records one at a time`);
    const repo = new SourceRecordRepository(dataSource);
    for (const record of held) {
      const { agency, ...canonical } = record;
      const [outcome] = await repo.upsertBatch(
        agency,
        [
          {
            externalId: record.externalId,
            version: record.version,
            contentHash: contentHash(canonical),
            record: canonical,
            invalidFields: [],
          },
        ],
        'bench',
      );
      const t = performance.now();
      await service.relinkRecord(outcome!.recordId!, 'bench');
      latencies.push(performance.now() - t);
    }
  }
  const rows = await owner.query<{ truth: string; person: string }>(
    `SELECT t.person AS truth, r.person_id AS person FROM linkage_record r
     JOIN source_record s ON s.id = r.source_record_id
     JOIN bench_truth t ON t.agency_id = s.agency_id AND t.external_id = s.external_id`,
  );
  const index = new Map<string, number>();
  const personOf = Int32Array.from(
    rows.rows,
    (r) => index.get(r.person) ?? index.set(r.person, index.size).get(r.person)!,
  );
  const metrics = pairwiseMetrics(
    personOf,
    rows.rows.map((r) => r.truth),
  );
  await dataSource.destroy();
  await owner.end();
  return { diff, batchSeconds, latencies, f1: metrics.f1, workersPeakRssMb };
}

const baselineCount = Math.max(1000, Math.round(total / 10));
progress(`baseline: ${baselineCount} records`);
const baseline = await run(baselineCount, 0);
const main = await run(total, incrementalCount);
console.log(
  JSON.stringify({
    records: total,
    batchSeconds: Number(main.batchSeconds.toFixed(1)),
    comparisonsPerSecond: Math.round(main.diff.candidatePairs / main.batchSeconds),
    candidatePairs: main.diff.candidatePairs,
    incrementalP50Ms: Number(quantile(main.latencies, 0.5).toFixed(1)),
    incrementalP99Ms: Number(quantile(main.latencies, 0.99).toFixed(1)),
    incremental: main.latencies.length,
    peakRssMb: Math.max(Math.round(process.resourceUsage().maxRSS / 1024), main.workersPeakRssMb),
    workers: workerCount,
    partitions,
    f1: Number(main.f1.toFixed(4)),
    baseline: { records: baselineCount, batchSeconds: Number(baseline.batchSeconds.toFixed(1)) },
  }),
);

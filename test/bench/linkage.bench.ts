// npm run bench:linkage [-- --records 100000 --incremental 300 --seed 4]
// Linkage in the service on real PostgreSQL: loads synthetic-place records from nine agencies (COPY,
// not timed), runs the batch re-link from scratch (timed), then links held-back records one at a time
// against the stored population through the persistent blocking index (each timed). The baseline in
// the same run is a batch re-link of a tenth of the records. Progress on stderr; one JSON line last.
import { parseArgs } from 'node:util';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { contentHash } from '@joinedup/core';
import { GovernanceEngine } from '@joinedup/governance';
import { pairwiseMetrics } from '@joinedup/linkage';
import { LinkageService, loadTrainedModel, relinkAll } from '@joinedup/linkage-service';
import { createDataSource, SourceRecordRepository } from '@joinedup/persistence';
import { generatePlace, NORTHMOOR_AGENCIES } from '@joinedup/place';
import { identityMatchingAgreement } from '@joinedup/testing';
import { benchDatabase, progress } from './support.js';

const { values } = parseArgs({
  options: {
    records: { type: 'string', default: '100000' },
    incremental: { type: 'string', default: '300' },
    seed: { type: 'string', default: '4' },
  },
});
const total = Number(values.records);
const incrementalCount = Number(values.incremental);

const csvField = (v: string) => `"${v.replace(/"/g, '""')}"`;

async function run(count: number, incremental: number) {
  const db = await benchDatabase(`joinedup_bench_linkage_${count}`);
  const place = [...generatePlace({ seed: Number(values.seed), records: count })];
  const held = place.splice(place.length - incremental, incremental);
  progress(`loading ${place.length} records by COPY`);
  const owner = new pg.Client({ connectionString: db.ownerUrl });
  await owner.connect();
  const stream = owner.query(
    copyFrom(`COPY source_record (agency_id, external_id, version, content_hash, record) FROM STDIN WITH (FORMAT csv)`),
  );
  for (const { record } of place) {
    const { agency, ...canonical } = record;
    const line = [agency, record.externalId, String(record.version), contentHash(canonical), JSON.stringify(canonical)]
      .map(csvField)
      .join(',');
    if (!stream.write(`${line}\n`)) await new Promise((r) => stream.once('drain', r));
  }
  await new Promise<void>((resolve, reject) =>
    stream.end((error?: Error | null) => (error ? reject(error) : resolve())),
  );
  const truth = new Map<string, string>();
  for (const { record, truth: t } of [...place, ...held])
    truth.set(`${record.agency}/${record.externalId}`, t.personId);
  await owner.query('ANALYZE');

  const dataSource = createDataSource(db.appUrl);
  await dataSource.initialize();
  const service = new LinkageService(dataSource, loadTrainedModel(), {
    engine: GovernanceEngine.create([identityMatchingAgreement(NORTHMOOR_AGENCIES.map((a) => a.id))]),
  });
  progress(`batch re-link of ${place.length} records`);
  const started = performance.now();
  const diff = await relinkAll(dataSource, service, {
    onProgress: (s) => progress(`  ${((performance.now() - started) / 1000).toFixed(1)} s  ${s}`),
  });
  const batchSeconds = (performance.now() - started) / 1000;
  // What autovacuum does after a bulk change, done now so the incremental figures are not waiting on it.
  await owner.query('VACUUM ANALYZE');

  const latencies: number[] = [];
  if (incremental > 0) {
    progress(`linking ${incremental} new records one at a time`);
    const repo = new SourceRecordRepository(dataSource);
    for (const { record } of held) {
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
  const rows = await owner.query<{ ref: string; person: string }>(
    `SELECT s.agency_id || '/' || s.external_id AS ref, r.person_id AS person
     FROM linkage_record r JOIN source_record s ON s.id = r.source_record_id`,
  );
  const index = new Map<string, number>();
  const personOf = Int32Array.from(
    rows.rows,
    (r) => index.get(r.person) ?? index.set(r.person, index.size).get(r.person)!,
  );
  const metrics = pairwiseMetrics(
    personOf,
    rows.rows.map((r) => truth.get(r.ref)!),
  );
  await dataSource.destroy();
  await owner.end();
  return { diff, batchSeconds, latencies, f1: metrics.f1 };
}

const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
};

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
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    f1: Number(main.f1.toFixed(4)),
    baseline: { records: baselineCount, batchSeconds: Number(baseline.batchSeconds.toFixed(1)) },
  }),
);

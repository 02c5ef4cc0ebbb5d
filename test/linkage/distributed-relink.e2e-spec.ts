import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import type { DataSource } from 'typeorm';
import { GovernanceEngine } from '@joinedup/governance';
import { LinkageService, loadTrainedModel, RelinkRuns, type RunView } from '@joinedup/linkage-service';
import { queueRelinkRun } from '@joinedup/messaging';
import { agreementToJson, createDataSource, withSystemScope } from '@joinedup/persistence';
import { NORTHMOOR_AGENCIES } from '@joinedup/place';
import {
  createTestDatabase,
  identityMatchingAgreement,
  loadPlaceRecords,
  startTestRedis,
  type TestDatabase,
  type TestRedis,
} from '@joinedup/testing';
import { WorkerProcess } from '../support/worker-process.js';

const PARTITIONS = 8;

/**
 * A batch re-link spread over worker processes through BullMQ: one process, then two, re-link the same
 * synthetic place from scratch, and two give exactly the persons and families one gave, each process
 * having scored some of the partitions.
 */
describe('batch re-link across worker processes', () => {
  let db: TestDatabase;
  let redis: TestRedis;
  let connection: Redis;
  let dataSource: DataSource;
  let runs: RelinkRuns;
  const workers: WorkerProcess[] = [];
  const prefix = `test:${randomBytes(6).toString('hex')}`;

  /** Persons and families as sets of records, independent of their ids. */
  async function shape() {
    const rows = await withSystemScope(dataSource, (m) =>
      m.query<{ id: string; person: string; family: string }[]>(
        `SELECT r.source_record_id AS id, r.person_id AS person, p.family_id AS family
         FROM linkage_record r JOIN linked_person p ON p.id = r.person_id`,
      ),
    );
    const groups = (key: 'person' | 'family') => {
      const by = new Map<string, string[]>();
      for (const r of rows) by.set(r[key], [...(by.get(r[key]) ?? []), r.id]);
      return [...by.values()].map((g) => g.sort().join(',')).sort();
    };
    return { records: rows.length, persons: groups('person'), families: groups('family') };
  }

  async function relink(): Promise<RunView> {
    const id = await runs.create({ dryRun: false, partitions: PARTITIONS, requestedBy: 'test' });
    await queueRelinkRun(connection, prefix, id, PARTITIONS);
    const deadline = Date.now() + 120_000;
    for (;;) {
      const run = await runs.view(id);
      if (run.status === 'done' || run.status === 'failed') return run;
      if (Date.now() > deadline) throw new Error(`run ${id} still ${run.status}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  async function startWorker(): Promise<void> {
    const worker = new WorkerProcess(db, { REDIS_URL: redis.url, REDIS_PREFIX: prefix });
    workers.push(worker);
    await worker.start();
  }

  beforeAll(async () => {
    db = await createTestDatabase();
    redis = await startTestRedis();
    connection = new Redis(redis.url, { maxRetriesPerRequest: null });
    dataSource = createDataSource(db.appUrl);
    await dataSource.initialize();
    const agencies = NORTHMOOR_AGENCIES.map((a) => a.id);
    const agreement = identityMatchingAgreement(agencies);
    await withSystemScope(dataSource, (m) =>
      m.query(
        `INSERT INTO agreement_version (id, version, status, parties, content, author) VALUES ($1, $2, $3, $4, $5, $6)`,
        [agreement.id, agreement.version, agreement.status, agreement.parties, agreementToJson(agreement), 'test'],
      ),
    );
    await loadPlaceRecords(dataSource, 21, 3000);
    runs = new RelinkRuns(
      dataSource,
      new LinkageService(dataSource, loadTrainedModel(), { engine: GovernanceEngine.create([agreement]) }),
    );
    await startWorker();
  }, 120_000);

  afterAll(async () => {
    for (const worker of workers) await worker.stop();
    connection?.disconnect();
    await dataSource?.destroy();
    await redis?.dispose();
    await db?.drop();
  });

  it('two worker processes give the same persons and families as one, and each scores partitions', async () => {
    const one = await relink();
    expect(one.status).toBe('done');
    expect(one.scored).toHaveLength(PARTITIONS);
    expect(new Set(one.scored.map((s) => s.worker)).size).toBe(1);
    const byOne = await shape();
    expect(byOne.records).toBe(3000);
    expect(byOne.persons.length).toBeLessThan(3000);
    expect(byOne.families.length).toBeLessThan(byOne.persons.length);

    await startWorker();
    const two = await relink();
    expect(two.status).toBe('done');
    expect(new Set(two.scored.map((s) => s.worker)).size).toBe(2);
    expect(two.diff).toMatchObject({
      records: 3000,
      candidatePairs: one.diff!.candidatePairs,
      linksFormed: 0,
      linksBroken: 0,
      personsMerged: 0,
      personsSplit: 0,
      familiesChanged: 0,
    });
    expect(await shape()).toEqual(byOne);
  }, 300_000);
});

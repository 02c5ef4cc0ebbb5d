import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { DataSource, EntityManager } from 'typeorm';
import { AuditWriter } from '@joinedup/audit';
import { BrokerError } from '@joinedup/core';
import { type ExplainedPair, explainedPairs, partitionPairs } from '@joinedup/linkage';
import { withSystemScope } from '@joinedup/persistence';
import { type EvidenceSource, readPrepared, relinkAll, type RelinkDiff, yieldToLoop } from './batch-relink.js';
import { LinkageService } from './linkage-service.js';

export const MAX_PARTITIONS = 64;
/** Pairs compared between two yields to the event loop, so the job's lock is renewed during long work. */
const PAIRS_PER_SLICE = 25_000;
const WRITE_CHUNK = 2_000;

export interface PartitionSummary {
  partition: number;
  worker: string;
  records: number;
  candidatePairs: number;
  scoredPairs: number;
  seconds: number;
}

export interface RunView {
  id: string;
  modelVersion: string;
  dryRun: boolean;
  partitions: number;
  status: 'scoring' | 'merging' | 'done' | 'failed';
  requestedBy: string;
  diff: RelinkDiff | null;
  error: string | null;
  createdAt: string;
  finishedAt: string | null;
  scored: PartitionSummary[];
}

interface RunRow {
  id: string;
  model_version: string;
  dry_run: boolean;
  partitions: number;
  status: RunView['status'];
  requested_by: string;
  diff: RelinkDiff | null;
  error: string | null;
  created_at: Date;
  finished_at: Date | null;
}

const runOf = (run: RunRow): Omit<RunView, 'scored'> => ({
  id: run.id,
  modelVersion: run.model_version,
  dryRun: run.dry_run,
  partitions: run.partitions,
  status: run.status,
  requestedBy: run.requested_by,
  diff: run.diff,
  error: run.error,
  createdAt: run.created_at.toISOString(),
  finishedAt: run.finished_at?.toISOString() ?? null,
});

/**
 * A batch re-link spread over worker processes. `create` records the run; the caller queues one job per
 * partition and a merge after them (messaging's `relinkFlow`). Each partition job loads the live records
 * as they were when the run started, compares the candidate pairs of its share of the blocks (see
 * partitionPairs) and stages the pairs at or above review; the merge clusters them with the human
 * decisions and the governance gate exactly as a batch in one process does (relinkAll), so any number
 * of workers gives the same persons and families. Records that changed after the run started are
 * re-linked one by one right after the merge.
 */
export class RelinkRuns {
  private readonly audit = new AuditWriter();

  constructor(
    private readonly dataSource: DataSource,
    private readonly service: LinkageService,
    private readonly worker = `${hostname()}/${process.pid}`,
  ) {}

  async create(input: {
    modelVersion?: string;
    dryRun: boolean;
    partitions: number;
    requestedBy: string;
  }): Promise<string> {
    if (!(Number.isInteger(input.partitions) && input.partitions >= 1 && input.partitions <= MAX_PARTITIONS))
      throw new BrokerError('VALIDATION_FAILED', `partitions must be a whole number from 1 to ${MAX_PARTITIONS}`);
    const db = this.dataSource.manager;
    const versions = this.service.versions;
    const version = input.modelVersion ?? (await versions.publishedVersion(db)) ?? versions.fileVersion;
    await versions.model(db, version); // a missing version is refused now, not in a job
    const id = randomUUID();
    await db.query(
      `INSERT INTO linkage_run (id, model_version, dry_run, partitions, status, requested_by)
       VALUES ($1, $2, $3, $4, 'scoring', $5)`,
      [id, version, input.dryRun, input.partitions, input.requestedBy],
    );
    return id;
  }

  /** Scores one partition and stages its pairs; run again (a retried job), it replaces what it staged. */
  async scorePartition(runId: string, partition: number): Promise<PartitionSummary | null> {
    const started = performance.now();
    const run = await this.row(runId);
    if (run.status !== 'scoring') return null;
    const model = await this.service.versions.model(this.dataSource.manager, run.model_version);
    // The live records as they were when the run started: every partition sees the same population.
    const { rows, prepared } = await withSystemScope(this.dataSource, (m) =>
      readPrepared(m, run.created_at, yieldToLoop),
    );
    const pairs = partitionPairs(prepared, model.blocking, model.maxBlockSize, partition, run.partitions);
    await yieldToLoop();
    const kept: ExplainedPair[] = [];
    for (let p = 0; p < pairs.length; p += PAIRS_PER_SLICE) {
      kept.push(...explainedPairs(prepared, pairs.subarray(p, p + PAIRS_PER_SLICE), model));
      await yieldToLoop();
    }
    const summary: PartitionSummary = {
      partition,
      worker: this.worker,
      records: rows.length,
      candidatePairs: pairs.length,
      scoredPairs: kept.length,
      seconds: 0,
    };
    await this.dataSource.transaction(async (m) => {
      await m.query(`DELETE FROM linkage_run_pair WHERE run_id = $1 AND partition = $2`, [runId, partition]);
      for (let i = 0; i < kept.length; i += WRITE_CHUNK) {
        const chunk = kept.slice(i, i + WRITE_CHUNK);
        await m.query(
          `INSERT INTO linkage_run_pair (run_id, partition, a, b, probability, comparisons)
           SELECT $1, $2, * FROM unnest($3::uuid[], $4::uuid[], $5::float8[], $6::jsonb[])`,
          [
            runId,
            partition,
            chunk.map((s) => rows[s.a]!.id),
            chunk.map((s) => rows[s.b]!.id),
            chunk.map((s) => s.probability),
            chunk.map((s) => JSON.stringify(s.comparisons)),
          ],
        );
      }
      summary.seconds = Number(((performance.now() - started) / 1000).toFixed(3));
      await m.query(
        `INSERT INTO linkage_run_partition
           (run_id, partition, worker, records, candidate_pairs, scored_pairs, seconds, finished_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, now())
         ON CONFLICT (run_id, partition) DO UPDATE SET worker = EXCLUDED.worker, records = EXCLUDED.records,
           candidate_pairs = EXCLUDED.candidate_pairs, scored_pairs = EXCLUDED.scored_pairs,
           seconds = EXCLUDED.seconds, finished_at = EXCLUDED.finished_at`,
        [
          runId,
          partition,
          summary.worker,
          summary.records,
          summary.candidatePairs,
          summary.scoredPairs,
          summary.seconds,
        ],
      );
    });
    return summary;
  }

  /**
   * Clusters, governs and writes what the partitions staged (or, for a dry run, only measures the diff).
   * An applied run of a version that is not yet published publishes it in the same transaction.
   */
  async merge(runId: string, onProgress?: (stage: string) => void): Promise<RelinkDiff> {
    const run = await this.row(runId);
    if (run.status === 'done' && run.diff) return run.diff;
    const done = await this.dataSource.query<{ partition: number; candidate_pairs: string }[]>(
      `SELECT partition, candidate_pairs FROM linkage_run_partition WHERE run_id = $1`,
      [runId],
    );
    if (done.length !== run.partitions)
      throw new BrokerError('CONFLICT', `${done.length} of ${run.partitions} partitions are scored`);
    await this.dataSource.query(`UPDATE linkage_run SET status = 'merging' WHERE id = $1`, [runId]);
    const versions = this.service.versions;
    const model = await versions.model(this.dataSource.manager, run.model_version);
    const evidence: EvidenceSource = async (rows, _prepared, _model, progress) => {
      progress('reading the partitions’ scored pairs');
      const position = new Map(rows.map((r, i) => [r.id, i]));
      const staged = await this.dataSource.query<
        { a: string; b: string; probability: number; comparisons: ExplainedPair['comparisons'] }[]
      >(`SELECT a, b, probability, comparisons FROM linkage_run_pair WHERE run_id = $1`, [runId]);
      const pairs: ExplainedPair[] = [];
      for (const s of staged) {
        // A record withdrawn since its partition read it is simply left out.
        const [x, y] = [position.get(s.a), position.get(s.b)];
        if (x === undefined || y === undefined) continue;
        pairs.push({ a: Math.min(x, y), b: Math.max(x, y), probability: s.probability, comparisons: s.comparisons });
      }
      return { candidatePairs: done.reduce((sum, d) => sum + Number(d.candidate_pairs), 0), pairs };
    };
    const publishes = !run.dry_run && run.model_version !== (await versions.publishedVersion(this.dataSource.manager));
    const diff = await relinkAll(this.dataSource, this.service, {
      model,
      dryRun: run.dry_run,
      evidence,
      onProgress,
      beforeCommit: async (m: EntityManager, applied: RelinkDiff) => {
        if (publishes) await versions.markPublished(m, run.model_version, runId, run.requested_by);
        await this.audit.append(m, {
          type: 'linkage.relinked',
          actor: { kind: 'system', id: 'linkage' },
          at: new Date(),
          details: { runId, requestedBy: run.requested_by, published: publishes, ...applied },
        });
      },
    });
    if (!run.dry_run) {
      const late = await withSystemScope(this.dataSource, (m) =>
        m.query<{ id: string }[]>(`SELECT id FROM source_record WHERE updated_at > $1`, [run.created_at]),
      );
      if (late.length > 0)
        await this.service.relinkRecords(late.map((r) => ({ recordId: r.id, correlationId: `relink-${runId}` })));
    }
    await this.dataSource.transaction(async (m) => {
      await m.query(`DELETE FROM linkage_run_pair WHERE run_id = $1`, [runId]);
      await m.query(`UPDATE linkage_run SET status = 'done', diff = $2, finished_at = now() WHERE id = $1`, [
        runId,
        JSON.stringify(diff),
      ]);
    });
    return diff;
  }

  /** A partition gave up (its last attempt failed): the run fails with the reason; its staged pairs go. */
  async fail(runId: string, reason: string): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      await m.query(`DELETE FROM linkage_run_pair WHERE run_id = $1`, [runId]);
      await m.query(
        `UPDATE linkage_run SET status = 'failed', error = $2, finished_at = now() WHERE id = $1 AND status <> 'done'`,
        [runId, reason.slice(0, 500)],
      );
    });
  }

  async view(runId: string): Promise<RunView> {
    const run = await this.row(runId);
    const scored = await this.dataSource.query<
      {
        partition: number;
        worker: string;
        records: number;
        candidate_pairs: string;
        scored_pairs: string;
        seconds: number;
      }[]
    >(
      `SELECT partition, worker, records, candidate_pairs, scored_pairs, seconds
       FROM linkage_run_partition WHERE run_id = $1 ORDER BY partition`,
      [runId],
    );
    return {
      ...runOf(run),
      scored: scored.map((s) => ({
        partition: s.partition,
        worker: s.worker,
        records: s.records,
        candidatePairs: Number(s.candidate_pairs),
        scoredPairs: Number(s.scored_pairs),
        seconds: s.seconds,
      })),
    };
  }

  async list(limit = 50): Promise<Omit<RunView, 'scored'>[]> {
    const rows = await this.dataSource.query<RunRow[]>(`SELECT * FROM linkage_run ORDER BY created_at DESC LIMIT $1`, [
      limit,
    ]);
    return rows.map(runOf);
  }

  private async row(runId: string): Promise<RunRow> {
    const rows = await this.dataSource.query<RunRow[]>(`SELECT * FROM linkage_run WHERE id = $1`, [runId]);
    if (!rows[0]) throw new BrokerError('NOT_FOUND', `no linkage run ${runId}`);
    return rows[0];
  }
}

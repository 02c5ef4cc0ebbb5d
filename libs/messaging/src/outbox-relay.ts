import type { DataSource } from 'typeorm';
import { isJobName, JOB_QUEUE, queueOf, type QueueName } from './queue-contract.js';
import type { QueueSet } from './queues.js';

export const OUTBOX_CHANNEL = 'joinedup_outbox';

interface OutboxRow {
  id: string;
  topic: string;
  payload: Record<string, unknown>;
}

/**
 * Moves committed outbox rows to BullMQ. Rows are claimed with FOR UPDATE SKIP LOCKED, so several relays
 * (in several workers) can run side by side; the outbox id is the job id, so a row relayed twice after a
 * crash between enqueue and commit is one job, not two.
 */
export class OutboxRelay {
  constructor(
    private readonly dataSource: DataSource,
    private readonly queues: QueueSet,
  ) {}

  /** Relays up to `limit` rows; returns how many it moved. */
  async relayOnce(limit = 500): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      // Only topics this build has a queue for: rows for a consumer that does not exist yet (such as
      // family.changed before coordination) wait in the outbox without blocking the rows behind them.
      const rows: OutboxRow[] = await manager.query(
        `SELECT id, topic, payload FROM outbox_event WHERE relayed_at IS NULL AND topic = ANY($2::text[])
         ORDER BY created_at LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [limit, Object.keys(JOB_QUEUE)],
      );
      if (rows.length === 0) return 0;
      const byQueue = new Map<
        QueueName,
        { name: string; data: Record<string, unknown>; opts: { jobId: string; delay?: number } }[]
      >();
      const now = Date.now();
      for (const row of rows) {
        // A topic the contract does not know is a programming error; leave it visible in the outbox.
        if (!isJobName(row.topic)) continue;
        const queue = queueOf(row.topic);
        const jobs = byQueue.get(queue) ?? [];
        // A row with `notBefore` (an offer's deadline) becomes a delayed job: the timer survives restarts in Redis.
        const notBefore = typeof row.payload.notBefore === 'string' ? Date.parse(row.payload.notBefore) : NaN;
        const delay = Number.isFinite(notBefore) ? Math.max(0, notBefore - now) : 0;
        jobs.push({ name: row.topic, data: row.payload, opts: { jobId: row.id, ...(delay > 0 ? { delay } : {}) } });
        byQueue.set(queue, jobs);
      }
      for (const [queue, jobs] of byQueue) await this.queues[queue].addBulk(jobs);
      const relayed = rows.filter((row) => isJobName(row.topic)).map((row) => row.id);
      await manager.query(`UPDATE outbox_event SET relayed_at = now() WHERE id = ANY($1::uuid[])`, [relayed]);
      return relayed.length;
    });
  }

  /** Relays until the outbox is empty (or a row keeps failing). */
  async drain(limit = 500): Promise<number> {
    let total = 0;
    for (;;) {
      const moved = await this.relayOnce(limit);
      total += moved;
      if (moved < limit) return total;
    }
  }
}

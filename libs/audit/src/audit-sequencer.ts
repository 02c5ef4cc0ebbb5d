import pg from 'pg';
import type { DataSource, EntitySubscriberInterface, QueryRunner, TransactionCommitEvent } from 'typeorm';
import { GroupCommit } from '@joinedup/core';
import {
  INSERT_EVENTS_SQL,
  insertEventsParams,
  PENDING_COLUMNS,
  type PendingRow,
  recordedFromPending,
} from './audit-event-row.js';
import { auditHash, type ChainedAuditEvent, GENESIS } from './hash-chain.js';

/**
 * Key of the transaction-level advisory lock that serialises chaining: every sequencer, in every
 * replica, takes it for its short transaction (never a writer's).
 */
export const AUDIT_CHAIN_LOCK = `hashtext('joinedup.audit_chain')`;
/** Pending events chained per transaction at most. */
const BATCH = 5_000;

const sequencers = new WeakMap<DataSource, AuditSequencer>();
/**
 * Transactions that recorded events: their commit starts a flush, and waits for it unless every writer
 * in the transaction said it need not (`true`: wait).
 */
const recorded = new WeakMap<QueryRunner, boolean>();

/**
 * Moves committed audit events from `audit_pending` into the hash chain, in order, many per
 * transaction. Writers record events in their own transaction without any lock (AuditWriter); when such
 * a transaction commits, its commit waits for a flush, so the events are in the chain by the time the
 * caller goes on, and concurrent writers share one chaining transaction instead of queueing behind each
 * other's commit. A flush that fails (or a crash between commit and flush) leaves the events pending
 * and safe: the next flush, from any process, chains them (the worker also flushes every second).
 */
export class AuditSequencer {
  /**
   * Its own connection, outside the data source's pool: a commit waits for the flush while holding a
   * pooled connection, so a flush that needed the pool could wait for ever behind such commits. Closed
   * when idle, and it never keeps a process alive.
   */
  private readonly pool: pg.Pool;
  private readonly flushes = new GroupCommit<null, number>(() => this.drain(), Number.MAX_SAFE_INTEGER);

  private constructor(dataSource: DataSource) {
    const options = dataSource.options as { url?: string };
    this.pool = new pg.Pool({ connectionString: options.url, max: 1, idleTimeoutMillis: 1_000, allowExitOnIdle: true });
    this.pool.on('error', () => undefined); // an idle connection dropped by the server: the next flush reconnects
  }

  private readonly subscriber = new FlushAfterCommit(this);

  /** The data source's sequencer. */
  static of(dataSource: DataSource): AuditSequencer {
    let sequencer = sequencers.get(dataSource);
    if (!sequencer) {
      sequencer = new AuditSequencer(dataSource);
      sequencers.set(dataSource, sequencer);
    }
    return sequencer;
  }

  /**
   * Marks a transaction that recorded events, so its commit flushes. With `wait` false the commit only
   * starts the flush: the events are committed in `audit_pending` either way (nothing is lost), and a
   * writer whose caller reads no audit afterwards (the linkage worker) need not hold its caller for it.
   */
  static recordedIn(runner: QueryRunner, wait = true): void {
    const { subscribers } = runner.connection;
    // Checked each time: initialize() replaces the data source's list of subscribers.
    const { subscriber } = AuditSequencer.of(runner.connection);
    if (!subscribers.includes(subscriber)) subscribers.push(subscriber);
    recorded.set(runner, wait || recorded.get(runner) === true);
  }

  /** Chains everything pending, including what arrives meanwhile; answers how many events it chained. */
  flush(): Promise<number> {
    return this.flushes.submit(null);
  }

  async close(): Promise<void> {
    await this.pool.end().catch(() => undefined);
  }

  private async drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const chained = await this.chainBatch();
      total += chained;
      if (chained < BATCH) return total;
    }
  }

  /** One short transaction: the chain's lock, the oldest pending events out, chained, in. */
  private async chainBatch(): Promise<number> {
    const client = await this.pool.connect();
    try {
      // One round trip for the transaction's start, the lock, the pending events and the chain's head
      // (a parameterless multi-statement query), as the chaining transactions run many times a second.
      const [, , deleted, last] = (await client.query(
        `BEGIN; SELECT pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK});
         DELETE FROM audit_pending WHERE id IN (SELECT id FROM audit_pending ORDER BY id LIMIT ${BATCH})
           RETURNING ${PENDING_COLUMNS};
         SELECT seq, hash FROM audit_event ORDER BY seq DESC LIMIT 1`,
      )) as unknown as pg.QueryResult[];
      const pending = deleted!.rows as PendingRow[];
      if (pending.length > 0) {
        pending.sort((a, b) => Number(a.id) - Number(b.id));
        const top = last!.rows[0] as { seq: string; hash: string } | undefined;
        let head: { seq: number; hash: string } | null = top ? { seq: Number(top.seq), hash: top.hash } : null;
        const events = pending.map((row): ChainedAuditEvent => {
          const seq = (head?.seq ?? 0) + 1;
          const prevHash = head?.hash ?? GENESIS;
          const event = { ...recordedFromPending(row), seq };
          const hash = auditHash(prevHash, event);
          head = { seq, hash };
          return { ...event, prevHash, hash };
        });
        await client.query(INSERT_EVENTS_SQL, insertEventsParams(events));
      }
      await client.query('COMMIT');
      client.release();
      return pending.length;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      client.release(true);
      throw error;
    }
  }
}

class FlushAfterCommit implements EntitySubscriberInterface {
  constructor(private readonly sequencer: AuditSequencer) {}

  async afterTransactionCommit(event: TransactionCommitEvent): Promise<void> {
    const runner = event.queryRunner;
    // A savepoint released inside a transaction is not its commit.
    const wait = recorded.get(runner);
    if (runner.isTransactionActive || wait === undefined) return;
    recorded.delete(runner);
    // The change is committed whatever happens here: a failed flush leaves the events for the next one.
    const flushed = this.sequencer.flush().catch(() => undefined);
    if (wait) await flushed;
  }
}

import { randomBytes } from 'node:crypto';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import pg from 'pg';
import { bullPrefix } from '@joinedup/messaging';
import { createTestDatabase, startTestRedis, type TestDatabase, type TestRedis } from '@joinedup/testing';
import { WebhookReceiver } from '../support/webhook-receiver.js';
import { WorkerProcess } from '../support/worker-process.js';

const TYPES = ['case.updated'];

/**
 * Every notification delivered exactly once in effect, whatever fails: the receiver, the worker process,
 * the relay between commit and enqueue, or Redis itself (the test's own, with AOF, on its own port).
 * The receiver counts distinct webhook-ids (effects) and the repeats it dropped; each scenario reports
 * lost (must be 0) and duplicate effects (must be 0).
 */
describe('delivery reliability: exactly once in effect', () => {
  let db: TestDatabase;
  let redis: TestRedis;
  let owner: pg.Client;
  let worker: WorkerProcess;
  const prefix = `test:${randomBytes(6).toString('hex')}`;
  const receivers: WebhookReceiver[] = [];

  async function agencyWithReceiver(agency: string): Promise<WebhookReceiver> {
    const receiver = new WebhookReceiver();
    await receiver.start();
    receivers.push(receiver);
    receiver.secret = `whsec_${randomBytes(24).toString('base64')}`;
    await owner.query(`INSERT INTO agency (id, name, sector) VALUES ($1, $1, 'voluntary')`, [agency]);
    await owner.query(`INSERT INTO webhook_endpoint (agency_id, url, secret, event_types) VALUES ($1, $2, $3, $4)`, [
      agency,
      receiver.url,
      receiver.secret,
      TYPES,
    ]);
    return receiver;
  }

  /** Notifications as the case service writes them: rows and outbox rows, committed together. */
  async function notify(agency: string, count: number): Promise<void> {
    await owner.query(
      `WITH n AS (INSERT INTO notification (agency_id, case_id, type, payload)
         SELECT $1, gen_random_uuid(), 'case.updated', jsonb_build_object('n', i) FROM generate_series(1, $2) i
         RETURNING id, agency_id)
       INSERT INTO outbox_event (topic, agency_id, payload)
       SELECT 'notification.created', agency_id, jsonb_build_object('notificationId', id::text, 'correlationId', 'r') FROM n`,
      [agency, count],
    );
  }

  /**
   * Lost: notifications the receiver never applied. Duplicate effects: notifications applied under more
   * than one webhook-id (a repeat the receiver could not recognise). Repeats of the same webhook-id are
   * dropped by the receiver, as Standard Webhooks intends, and only counted.
   */
  function report(scenario: string, sent: number, receiver: WebhookReceiver) {
    const notifications = [...receiver.effects.values()].map((e) => String(e.data.n));
    const distinct = new Set(notifications).size;
    const summary = {
      scenario,
      sent,
      delivered: distinct,
      lost: sent - distinct,
      duplicateEffects: notifications.length - distinct,
      repeatsDropped: receiver.duplicates,
    };
    console.log(JSON.stringify(summary));
    expect(summary.lost).toBe(0);
    expect(summary.duplicateEffects).toBe(0);
    expect(receiver.badSignatures).toBe(0);
  }

  async function until(ok: () => Promise<boolean>, ms = 60_000): Promise<void> {
    const deadline = Date.now() + ms;
    while (!(await ok())) {
      if (Date.now() > deadline) throw new Error('timed out');
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  beforeAll(async () => {
    db = await createTestDatabase();
    redis = await startTestRedis({ aof: true });
    owner = new pg.Client({ connectionString: db.ownerUrl });
    await owner.connect();
    worker = new WorkerProcess(db, { REDIS_URL: redis.url, REDIS_PREFIX: prefix });
    await worker.start();
  }, 90_000);

  afterAll(async () => {
    await worker?.stop();
    await owner?.end();
    for (const r of receivers) await r.stop();
    await redis?.dispose();
    await db?.drop();
  });

  it('the receiver is down for a while, then returns', async () => {
    const receiver = await agencyWithReceiver('down-then-up');
    const port = Number(new URL(receiver.url).port);
    await receiver.stop();
    await notify('down-then-up', 50);
    await new Promise((r) => setTimeout(r, 2000));
    expect(receiver.effects.size).toBe(0);
    await receiver.start(port);
    await receiver.until(50, 60_000);
    report('receiver down, then back', 50, receiver);
    // What an operator watching /metrics saw: the failed attempts, the deliveries, queues and the outbox.
    const metrics = await (await fetch(`http://127.0.0.1:${worker.port}/metrics`)).text();
    const delivered = /joinedup_webhook_attempts_total\{outcome="delivered"\} (\d+)/.exec(metrics);
    expect(Number(delivered?.[1])).toBeGreaterThanOrEqual(50);
    expect(metrics).toMatch(/joinedup_webhook_attempts_total\{outcome="retry"\} [1-9]/);
    expect(metrics).toMatch(/joinedup_queue_jobs\{queue="delivery",state="waiting"\}/);
    expect(metrics).toMatch(/joinedup_outbox_backlog \d+/);
    expect(metrics).toMatch(/joinedup_webhook_delivery_latency_seconds_count [1-9]/);
  }, 90_000);

  it('the receiver answers 500, then 429 with Retry-After, for a while', async () => {
    const receiver = await agencyWithReceiver('errors-then-ok');
    receiver.answer = ({ attempt }) =>
      attempt < 2 ? { status: 500 } : attempt < 4 ? { status: 429, headers: { 'retry-after': '1' } } : { status: 204 };
    await notify('errors-then-ok', 50);
    await receiver.until(50, 60_000);
    report('receiver answers 500, then 429', 50, receiver);
    expect(receiver.requests).toBe(250);
  }, 90_000);

  it('the worker is SIGKILLed mid-delivery and restarted', async () => {
    const receiver = await agencyWithReceiver('worker-killed');
    // Slow answers keep deliveries in flight when the kill comes.
    receiver.answer = () => ({ status: 204 });
    const slow = receiver.answer;
    receiver.answer = (r) => {
      const until = Date.now() + 150;
      while (Date.now() < until) {
        /* a slow receiver */
      }
      return slow(r);
    };
    await notify('worker-killed', 200);
    await receiver.until(40, 60_000);
    await worker.kill();
    const atKill = receiver.effects.size;
    expect(atKill).toBeLessThan(200);
    await worker.start();
    await receiver.until(200, 90_000);
    report('worker SIGKILLed mid-delivery', 200, receiver);
  }, 150_000);

  it('the process dies between the database commit and the enqueue, either side of the relay', async () => {
    const receiver = await agencyWithReceiver('relay-crash');
    // Committed but never enqueued: the worker is down when the rows commit.
    await worker.kill();
    await notify('relay-crash', 30);
    // Enqueued but the relay died before marking the rows relayed: the same job ids come again.
    const rows = (
      await owner.query<{ id: string; payload: Record<string, unknown> }>(
        `SELECT id, payload FROM outbox_event WHERE relayed_at IS NULL AND agency_id = 'relay-crash' ORDER BY created_at LIMIT 10`,
      )
    ).rows;
    const connection = new Redis(redis.url, { maxRetriesPerRequest: null });
    const queue = new Queue('delivery', { connection, prefix: bullPrefix(prefix) });
    await queue.addBulk(rows.map((r) => ({ name: 'notification.created', data: r.payload, opts: { jobId: r.id } })));
    await queue.close();
    connection.disconnect();
    await worker.start();
    await receiver.until(30, 60_000);
    await new Promise((r) => setTimeout(r, 1500));
    report('killed between commit and enqueue', 30, receiver);
    const unrelayed = await owner.query(`SELECT 1 FROM outbox_event WHERE relayed_at IS NULL`);
    expect(unrelayed.rowCount).toBe(0);
  }, 120_000);

  it('Redis is restarted (its own, with AOF) while deliveries are queued', async () => {
    const receiver = await agencyWithReceiver('redis-restart');
    receiver.answer = ({ attempt }) => (attempt === 0 ? { status: 503 } : { status: 204 });
    await notify('redis-restart', 100);
    await receiver.until(10, 60_000);
    await redis.stop();
    await new Promise((r) => setTimeout(r, 1000));
    await redis.start();
    await receiver.until(100, 90_000);
    report('Redis restarted', 100, receiver);
  }, 150_000);

  it('Redis loses everything (FLUSHALL) while deliveries wait: the sweep queues them again from the database', async () => {
    const receiver = await agencyWithReceiver('redis-flushed');
    receiver.answer = () => ({ status: 503 });
    await notify('redis-flushed', 40);
    await until(
      async () =>
        (await owner.query(`SELECT 1 FROM webhook_delivery WHERE agency_id = 'redis-flushed' AND attempts > 0`))
          .rowCount === 40,
    );
    const connection = new Redis(redis.url, { maxRetriesPerRequest: null });
    await connection.flushall();
    connection.disconnect();
    receiver.answer = () => ({ status: 204 });
    await receiver.until(40, 90_000);
    report('Redis lost its data', 40, receiver);
    // The other timers (outbox sweep, agreement expiry, audit checkpoints, retention, offer expiry) come back too.
    const check = new Redis(redis.url, { maxRetriesPerRequest: null });
    try {
      const timers = new Queue('timers', { connection: check, prefix: bullPrefix(prefix) });
      const coordination = new Queue('coordination', { connection: check, prefix: bullPrefix(prefix) });
      const present = async () =>
        (
          await Promise.all([
            ...['outbox.sweep', 'agreements.expire', 'audit.checkpoint', 'records.retention'].map((id) =>
              timers.getJobScheduler(id),
            ),
            coordination.getJobScheduler('offers.expire'),
          ])
        ).every(Boolean);
      await until(present, 30_000);
      expect(await present()).toBe(true);
      await timers.close();
      await coordination.close();
    } finally {
      check.disconnect();
    }
  }, 180_000);
});

import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { DataSource, EntityManager } from 'typeorm';
import { AuditWriter } from '@joinedup/audit';
import {
  checkWebhookUrl,
  classifyResponse,
  type DeliveryOutcome,
  MAX_ATTEMPTS,
  type RandomSource,
  RETRY_BASE_MS,
  retryDelayMs,
  retrySchedule,
  signWebhook,
} from '@joinedup/coordination';
import { GroupCommit } from '@joinedup/core';
import { withSystemScope } from '@joinedup/persistence';
import type { Disclosure } from './case-notifications.js';
import type { NotificationGate } from './notification-gate.js';
import { postWebhook } from './webhook-post.js';

export interface DeliverySettings {
  /** Hosts, addresses or CIDR ranges allowed although private (development and tests). */
  allowHosts: readonly string[];
  /** The first retry window; the engine's schedule (10 s, doubling, capped at 4 h) is scaled to it. */
  retryBaseMs: number;
  timeoutMs: number;
}

/**
 * Puts attempt `attempt` of a delivery on the queue; the same (delivery, round, attempt) twice is one job.
 * `round` changes when an admin replays a dead delivery, so the new round's jobs are not the old ones'.
 */
export type ScheduleAttempt = (deliveryId: string, attempt: number, delayMs: number, round: number) => Promise<void>;

/** What delivery counts, for /metrics; no-ops by default. */
export interface DeliveryObserver {
  attempted(outcome: DeliveryOutcome['kind'] | 'refused'): void;
  delivered(latencySeconds: number): void;
  dead(): void;
  suppressed(): void;
}
const SILENT: DeliveryObserver = { attempted() {}, delivered() {}, dead() {}, suppressed() {} };

interface AttemptRow {
  id: string;
  status: string;
  attempts: number;
  next_attempt_at: Date | null;
  created_at: Date;
  url: string;
  secret: string;
  enabled: boolean;
  endpoint_id: string;
  agency_id: string;
  type: string;
  payload: Record<string, unknown>;
  disclosures: Disclosure[];
  notification_id: string;
  notified_at: Date;
}

const SYSTEM = { kind: 'system' as const, id: 'delivery' };
/** Notifications fanned out, and successes recorded, per transaction at most. */
const GROUP = 256;
/** A delivery with what an attempt needs: its endpoint and its notification. */
const ATTEMPT_ROWS = `SELECT d.id, d.status, d.attempts, d.next_attempt_at, d.created_at, e.url, e.secret, e.enabled,
    e.id AS endpoint_id, n.agency_id, n.type, n.payload, n.disclosures, n.id AS notification_id, n.created_at AS notified_at
  FROM webhook_delivery d JOIN webhook_endpoint e ON e.id = d.endpoint_id JOIN notification n ON n.id = d.notification_id`;

/** `msg_` and the delivery id's hex: stable across retries, no dots (they would make the signed string ambiguous). */
export const webhookIdOf = (deliveryId: string) => `msg_${deliveryId.replace(/-/g, '')}`;

/**
 * Webhook delivery, at least once on the wire and exactly once in effect: each (notification, endpoint)
 * is one row whose status is the idempotency key, each attempt is one queued job keyed by its number,
 * and the `webhook-id` never changes, so a receiver drops the duplicate a crash between sending and
 * recording can cause.
 */
export class WebhookDelivery {
  private readonly audit = new AuditWriter();

  constructor(
    private readonly dataSource: DataSource,
    private readonly gate: NotificationGate,
    private readonly settings: DeliverySettings,
    private readonly schedule: ScheduleAttempt,
    private readonly observer: DeliveryObserver = SILENT,
    private readonly now: () => Date = () => new Date(),
    private readonly rng: RandomSource = { float: Math.random },
  ) {}

  /**
   * A new notification: suppress it, or release it to the inbox and one delivery per subscribed endpoint.
   * The database work is group-committed with the other notifications arriving meanwhile (one
   * transaction for the group); the first attempts then run here, in this job: one job per notification
   * on the happy path. A crash mid-attempt re-runs this job, which finds the row still pending and
   * attempts again, same webhook-id.
   */
  async fanOut(notificationId: string): Promise<number> {
    const pending = (await this.fanOuts.submit(notificationId)).get(notificationId) ?? [];
    await Promise.all(
      pending.map((d) =>
        d.attempts === 0 ? this.attemptRow(d, 0) : this.schedule(d.id, d.attempts, 0, d.created_at.getTime()),
      ),
    );
    return pending.length;
  }

  private readonly fanOuts = new GroupCommit((ids: string[]) => this.fanOutMany(ids), GROUP);
  private readonly deliveries = new GroupCommit(
    (done: { id: string; attempts: number; status: number | null }[]) => this.markDelivered(done),
    GROUP,
  );

  /** Fan-out of several notifications in one transaction; the pending deliveries of each, ready to attempt. */
  private async fanOutMany(ids: string[]): Promise<Map<string, AttemptRow[]>> {
    const unique = [...new Set(ids)].sort();
    const rows = await withSystemScope(this.dataSource, async (m) => {
      const found = await m.query<
        { id: string; agency_id: string; type: string; status: string; disclosures: Disclosure[] }[]
      >(
        `SELECT id, agency_id, type, status, disclosures FROM notification WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE`,
        [unique],
      );
      const released: string[] = [];
      for (const n of found.filter((x) => x.status === 'pending')) {
        const answer = this.gate.check(n.agency_id, n.disclosures, this.now());
        if (answer.allowed) released.push(n.id);
        else await this.suppress(m, n.id, answer.reason);
      }
      if (released.length > 0) {
        await m.query(
          `INSERT INTO webhook_delivery (notification_id, endpoint_id, agency_id)
           SELECT n.id, e.id, e.agency_id FROM notification n
           JOIN webhook_endpoint e ON e.agency_id = n.agency_id AND e.enabled
             AND (cardinality(e.event_types) = 0 OR n.type = ANY(e.event_types))
           WHERE n.id = ANY($1::uuid[])
           ON CONFLICT (notification_id, endpoint_id) DO NOTHING`,
          [released],
        );
        await m.query(`UPDATE notification SET status = 'sent' WHERE id = ANY($1::uuid[])`, [released]);
      }
      // A re-run after a crash finds its rows and queues what is still pending; job ids collapse repeats.
      return m.query<AttemptRow[]>(
        `${ATTEMPT_ROWS} WHERE d.notification_id = ANY($1::uuid[]) AND d.status = 'pending'`,
        [found.filter((n) => n.status !== 'suppressed').map((n) => n.id)],
      );
    });
    const byNotification = new Map<string, AttemptRow[]>();
    for (const row of rows)
      (
        byNotification.get(row.notification_id) ?? byNotification.set(row.notification_id, []).get(row.notification_id)!
      ).push(row);
    return byNotification;
  }

  /** Successful attempts of many deliveries recorded with one statement. */
  private async markDelivered(done: { id: string; attempts: number; status: number | null }[]): Promise<void> {
    await withSystemScope(this.dataSource, (m) =>
      m.query(
        `UPDATE webhook_delivery d SET status = 'delivered', attempts = x.attempts, last_status = x.status,
           delivered_at = now(), next_attempt_at = NULL
         FROM unnest($1::uuid[], $2::int[], $3::int[]) AS x(id, attempts, status)
         WHERE d.id = x.id AND d.status = 'pending'`,
        [done.map((d) => d.id), done.map((d) => d.attempts), done.map((d) => d.status)],
      ),
    );
  }

  /**
   * Backstop for jobs Redis lost (a crash inside AOF's one-second window, a flushed Redis): notifications
   * still pending and deliveries overdue by `graceMs` are queued again. Job ids and row states make a
   * repeat harmless, so this can run as often as wanted.
   */
  async sweep(
    graceMs: number,
    requeueNotification: (id: string) => Promise<void>,
  ): Promise<{ notifications: number; deliveries: number }> {
    const { notifications, deliveries } = await withSystemScope(this.dataSource, async (m) => ({
      notifications: await m.query<{ id: string }[]>(
        `SELECT id FROM notification WHERE status = 'pending' AND created_at < now() - make_interval(secs => $1::double precision / 1000)
         ORDER BY created_at LIMIT 1000`,
        [graceMs],
      ),
      deliveries: await m.query<{ id: string; attempts: number; created_at: Date }[]>(
        `SELECT id, attempts, created_at FROM webhook_delivery
         WHERE status = 'pending' AND coalesce(next_attempt_at, created_at) < now() - make_interval(secs => $1::double precision / 1000)
         ORDER BY created_at LIMIT 1000`,
        [graceMs],
      ),
    }));
    for (const n of notifications) await requeueNotification(n.id);
    for (const d of deliveries) await this.schedule(d.id, d.attempts, 0, d.created_at.getTime());
    return { notifications: notifications.length, deliveries: deliveries.length };
  }

  /** One attempt. Safe to run twice: an attempt already recorded only makes sure the next one is queued. */
  async attempt(deliveryId: string, attempt: number): Promise<DeliveryOutcome['kind'] | 'skipped'> {
    const [row] = await withSystemScope(this.dataSource, (m) =>
      m.query<AttemptRow[]>(`${ATTEMPT_ROWS} WHERE d.id = $1`, [deliveryId]),
    );
    if (!row || row.status !== 'pending') return 'skipped';
    return this.attemptRow(row, attempt);
  }

  private async attemptRow(row: AttemptRow, attempt: number): Promise<DeliveryOutcome['kind'] | 'skipped'> {
    if (row.attempts > attempt) {
      const wait = row.next_attempt_at ? Math.max(0, row.next_attempt_at.getTime() - this.now().getTime()) : 0;
      await this.schedule(row.id, row.attempts, wait, row.created_at.getTime());
      return 'skipped';
    }
    const now = this.now();
    const answer = this.gate.check(row.agency_id, row.disclosures, now);
    if (!answer.allowed) {
      await withSystemScope(this.dataSource, (m) => this.suppress(m, row.notification_id, answer.reason));
      return 'skipped';
    }
    if (!row.enabled) return this.record(row, attempt, { kind: 'fail', reason: 'the endpoint is disabled' });
    const target = await this.target(row.url);
    if ('refused' in target) {
      this.observer.attempted('refused');
      return this.record(row, attempt, { kind: 'fail', reason: target.refused });
    }
    const body = JSON.stringify({ type: row.type, timestamp: now.toISOString(), data: row.payload });
    const headers = signWebhook({
      id: webhookIdOf(row.id),
      timestamp: Math.floor(now.getTime() / 1000),
      body,
      secret: row.secret,
    });
    // Refused, reset or timed out: no status, retried like a 5xx.
    const { status, retryAfter } = await postWebhook(
      target.url,
      target.address,
      { 'content-type': 'application/json', 'user-agent': 'joinedup-webhooks/1', ...headers },
      body,
      this.settings.timeoutMs,
    );
    const outcome = classifyResponse(status, retryAfter, this.now());
    this.observer.attempted(outcome.kind);
    return this.record(row, attempt, outcome, status);
  }

  private async record(row: AttemptRow, attempt: number, outcome: DeliveryOutcome, status?: number) {
    const now = this.now();
    if (outcome.kind === 'delivered') {
      await this.deliveries.submit({ id: row.id, attempts: attempt + 1, status: status ?? null });
      this.observer.delivered((now.getTime() - row.notified_at.getTime()) / 1000);
      return outcome.kind;
    }
    let next: { delay: number } | undefined;
    await withSystemScope(this.dataSource, async (m) => {
      switch (outcome.kind) {
        case 'retry': {
          const step = retrySchedule(attempt + 1, this.rng);
          if (!step)
            return this.kill(m, row, attempt, `gave up after ${MAX_ATTEMPTS} attempts: ${outcome.reason}`, status);
          const scale = this.settings.retryBaseMs / RETRY_BASE_MS;
          // The schedule counts from the first attempt (the delivery's creation), in the engine's units.
          const elapsed = (now.getTime() - row.created_at.getTime()) / scale;
          const scheduled = Math.round(retryDelayMs(step, elapsed) * scale);
          const delay = Math.max(scheduled, outcome.retryAfterMs ?? 0);
          await m.query(
            `UPDATE webhook_delivery SET attempts = $2, last_status = $3, last_error = $4,
               next_attempt_at = now() + make_interval(secs => $5::double precision / 1000)
             WHERE id = $1 AND status = 'pending'`,
            [row.id, attempt + 1, status ?? null, outcome.reason, delay],
          );
          next = { delay };
          return;
        }
        case 'fail':
          return this.kill(m, row, attempt, outcome.reason, status);
        case 'disable':
          await m.query(`UPDATE webhook_endpoint SET enabled = false WHERE id = $1`, [row.endpoint_id]);
          await this.audit.append(m, {
            type: 'webhook.disabled',
            actor: SYSTEM,
            at: now,
            agencyId: row.agency_id,
            details: { endpointId: row.endpoint_id, reason: outcome.reason },
          });
          return this.kill(m, row, attempt, outcome.reason, status);
      }
    });
    if (next) await this.schedule(row.id, attempt + 1, next.delay, row.created_at.getTime());
    return outcome.kind;
  }

  /** After the last attempt, or a refusal: the dead-letter list, with the reason, for an admin to replay or purge. */
  private async kill(m: EntityManager, row: AttemptRow, attempt: number, reason: string, status?: number) {
    await m.query(
      `UPDATE webhook_delivery SET status = 'dead', attempts = $2, last_status = $3, dead_reason = $4, next_attempt_at = NULL
       WHERE id = $1 AND status = 'pending'`,
      [row.id, attempt + 1, status ?? null, reason],
    );
    this.observer.dead();
  }

  private async suppress(m: EntityManager, notificationId: string, reason: string): Promise<void> {
    await m.query(`UPDATE notification SET status = 'suppressed', suppressed_reason = $2 WHERE id = $1`, [
      notificationId,
      reason,
    ]);
    await m.query(
      `UPDATE webhook_delivery SET status = 'suppressed' WHERE notification_id = $1 AND status = 'pending'`,
      [notificationId],
    );
    await this.audit.append(m, {
      type: 'notification.suppressed',
      actor: SYSTEM,
      at: this.now(),
      purpose: 'case-coordination',
      decision: 'deny',
      details: { notificationId, reason },
    });
    this.observer.suppressed();
  }

  /**
   * Private, loopback and link-local targets are refused unless configured (SSRF); checked at every
   * attempt, and the request goes to the address checked.
   */
  private async target(raw: string): Promise<{ url: URL; address: string } | { refused: string }> {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      return { refused: 'not a valid URL' };
    }
    const host = url.hostname.replace(/^\[|\]$/g, '');
    const addresses = isIP(host)
      ? [host]
      : await lookup(host, { all: true }).then(
          (a) => a.map((x) => x.address),
          () => [],
        );
    const check = checkWebhookUrl(raw, addresses, this.settings.allowHosts);
    return check.ok ? { url, address: addresses[0]! } : { refused: `webhook URL refused: ${check.reason}` };
  }
}

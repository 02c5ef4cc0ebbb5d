/**
 * The queue contract, checked by the compiler: every job name has one queue and one payload type,
 * so a job without a queue or a handler does not compile.
 *
 * The string values are Redis keys: NEVER rename them (queued jobs would be orphaned).
 * Payloads carry ids only, never personal data: handlers re-read current state.
 */
export const QUEUES = {
  linkage: 'linkage',
  /** Batch re-links: one job per partition and a merge after them (one at a time per worker process). */
  linkageBatch: 'linkage-batch',
  timers: 'timers',
  coordination: 'coordination',
  delivery: 'delivery',
} as const;
export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

interface Correlated {
  /** Ties logs of one change together across api and worker. */
  correlationId: string;
}

/**
 * The records one intake transaction changed for an agency (up to 100 a job, each with the correlation
 * id of its request), or one record (`recordId`: withdrawals, subject rights, and jobs from before).
 */
export type RecordsChanged = { recordId: string } | { records: { recordId: string; correlationId: string }[] };

/** Each record of a `record.changed` job with its correlation id. */
export function changedRecords(data: Correlated & RecordsChanged): { recordId: string; correlationId: string }[] {
  return 'records' in data ? data.records : [{ recordId: data.recordId, correlationId: data.correlationId }];
}

/**
 * The families one linkage transaction changed (up to 100 a job, each with the correlation id of the
 * change that reached it), or one family (`familyId`: decisions, re-links, and jobs from before).
 */
export type FamiliesChanged = { familyId: string } | { families: { familyId: string; correlationId: string }[] };

/** Each family of a `family.changed` job with its correlation id. */
export function changedFamilies(data: Correlated & FamiliesChanged): { familyId: string; correlationId: string }[] {
  return 'families' in data ? data.families : [{ familyId: data.familyId, correlationId: data.correlationId }];
}

/**
 * The notifications one coordination transaction wrote (up to 100 a job, each with the correlation id of
 * its change), or one notification (`notificationId`: the sweep, and jobs from before).
 */
export type NotificationsCreated =
  { notificationId: string } | { notifications: { notificationId: string; correlationId: string }[] };

/** The notification ids of a `notification.created` job. */
export function createdNotifications(data: NotificationsCreated): string[] {
  return 'notifications' in data ? data.notifications.map((n) => n.notificationId) : [data.notificationId];
}

export interface JobPayloads {
  /** A source record was created, changed or withdrawn: re-link it. */
  'record.changed': Correlated & { agencyId: string } & RecordsChanged;
  /** Agreements or consent changed: re-ask the gate for cross-agency links, undo or form them. */
  'linkage.regovern': Correlated;
  /** Score one partition of a batch re-link's blocks (linkage_run says what to do). */
  'linkage.relink-partition': Correlated & { runId: string; partition: number };
  /** Every partition of a batch re-link is scored: cluster, govern and write (or only diff, for a dry run). */
  'linkage.relink-merge': Correlated & { runId: string };
  /** A family's members, involvement or governance may have changed: open, update or close its case. */
  'family.changed': Correlated & FamiliesChanged;
  /** An offer's deadline: expire it if still unanswered and offer the case to the next candidate. */
  'offer.deadline': Correlated & { offerId: string; notBefore: string };
  /** Agreements or consent changed: plan every open case again. */
  'cases.regovern': Correlated;
  /** Scheduled backstop: expire overdue offers whose deadline job was lost. */
  'offers.expire': Record<string, never>;
  /** Notifications were written: suppress each or fan it out to its agency's webhook endpoints. */
  'notification.created': Correlated & NotificationsCreated;
  /** One delivery attempt of one notification to one endpoint (`attempt` counts from 0). */
  'webhook.attempt': { deliveryId: string; attempt: number };
  /** Scheduled backstop: queue again notifications and deliveries whose jobs Redis lost. */
  'deliveries.sweep': Record<string, never>;
  /** Scheduled backstop: relay outbox rows whose NOTIFY was missed. */
  'outbox.sweep': Record<string, never>;
  /** Scheduled: expire agreements whose end date has passed. */
  'agreements.expire': Record<string, never>;
  /** Scheduled: sign a checkpoint of the audit chain's head with the broker's key. */
  'audit.checkpoint': Record<string, never>;
  /** Scheduled: remove withdrawn and erased records past their retention period (counts only in logs). */
  'records.retention': Record<string, never>;
}
export type JobName = keyof JobPayloads;

export const JOB_QUEUE: { readonly [J in JobName]: QueueName } = {
  'record.changed': QUEUES.linkage,
  'linkage.relink-partition': QUEUES.linkageBatch,
  'linkage.relink-merge': QUEUES.linkageBatch,
  'linkage.regovern': QUEUES.linkage,
  'family.changed': QUEUES.coordination,
  'offer.deadline': QUEUES.coordination,
  'cases.regovern': QUEUES.coordination,
  'offers.expire': QUEUES.coordination,
  'notification.created': QUEUES.delivery,
  'webhook.attempt': QUEUES.delivery,
  'deliveries.sweep': QUEUES.delivery,
  'outbox.sweep': QUEUES.timers,
  'agreements.expire': QUEUES.timers,
  'audit.checkpoint': QUEUES.timers,
  'records.retention': QUEUES.timers,
};

export function queueOf(job: JobName): QueueName {
  return JOB_QUEUE[job];
}

export function isJobName(value: string): value is JobName {
  return Object.hasOwn(JOB_QUEUE, value);
}

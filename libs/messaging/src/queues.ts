import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { QUEUES, type QueueName } from './queue-contract.js';

export type QueueSet = Readonly<Record<QueueName, Queue>>;

/** BullMQ key prefix under the broker's Redis prefix, so test runs and tenants cannot collide. */
export function bullPrefix(redisPrefix: string): string {
  return `${redisPrefix}:bull`;
}

/** Jobs keep their ids for a day after completion so a re-relayed outbox row is recognised. */
export const DEFAULT_JOB_OPTIONS = {
  attempts: 8,
  backoff: { type: 'exponential', delay: 1000, jitter: 0.5 },
  removeOnComplete: { age: 24 * 3600, count: 100_000 },
  removeOnFail: { age: 7 * 24 * 3600 },
} as const;

export function createQueues(connection: Redis, redisPrefix: string): QueueSet {
  const prefix = bullPrefix(redisPrefix);
  const entries = Object.values(QUEUES).map(
    (name) => [name, new Queue(name, { connection, prefix, defaultJobOptions: DEFAULT_JOB_OPTIONS })] as const,
  );
  return Object.fromEntries(entries) as Record<QueueName, Queue>;
}

export async function closeQueues(queues: QueueSet): Promise<void> {
  await Promise.all(Object.values(queues).map((queue) => queue.close()));
}

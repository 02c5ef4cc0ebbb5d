import { FlowProducer } from 'bullmq';
import type { Redis } from 'ioredis';
import { type JobPayloads, QUEUES } from './queue-contract.js';
import { bullPrefix } from './queues.js';

/** A partition is retried a few times (a worker killed mid-way); then the run fails with the reason. */
const PARTITION_ATTEMPTS = 3;
const KEEP = { removeOnComplete: { age: 7 * 24 * 3600 }, removeOnFail: { age: 7 * 24 * 3600 } } as const;

/**
 * Queues a batch re-link run (linkage_run) as a BullMQ flow: one job per partition, which any worker
 * process takes, and the merge as their parent, which BullMQ starts only when every partition is done.
 * A partition that fails for good fails the merge too. Job ids derive from the run, so queueing twice
 * queues once.
 */
export async function queueRelinkRun(connection: Redis, redisPrefix: string, runId: string, partitions: number) {
  const flow = new FlowProducer({ connection, prefix: bullPrefix(redisPrefix) });
  try {
    const correlationId = `relink-${runId}`;
    const merge: JobPayloads['linkage.relink-merge'] = { correlationId, runId };
    await flow.add({
      name: 'linkage.relink-merge',
      queueName: QUEUES.linkageBatch,
      data: merge,
      opts: {
        jobId: `${correlationId}-merge`,
        attempts: PARTITION_ATTEMPTS,
        backoff: { type: 'exponential', delay: 2000 },
        ...KEEP,
      },
      children: Array.from({ length: partitions }, (_, partition) => {
        const data: JobPayloads['linkage.relink-partition'] = { correlationId, runId, partition };
        return {
          name: 'linkage.relink-partition',
          queueName: QUEUES.linkageBatch,
          data,
          opts: {
            jobId: `${correlationId}-p${partition}`,
            attempts: PARTITION_ATTEMPTS,
            backoff: { type: 'exponential', delay: 2000 },
            failParentOnFailure: true,
            ...KEEP,
          },
        };
      }),
    });
  } finally {
    await flow.close();
  }
}

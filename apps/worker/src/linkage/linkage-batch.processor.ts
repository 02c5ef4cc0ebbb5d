import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { type Job, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { DataSource } from 'typeorm';
import { BROKER_CONFIG, type BrokerConfig } from '@joinedup/config';
import { bullPrefix, type JobPayloads, QUEUES, REDIS } from '@joinedup/messaging';
import { RelinkRuns } from '@joinedup/linkage-service';
import { LinkageProcessor } from './linkage.processor.js';

type BatchJobName = 'linkage.relink-partition' | 'linkage.relink-merge';
type BatchJob = Job<JobPayloads[BatchJobName], unknown, BatchJobName>;

/**
 * Batch re-links, one job at a time per process: a partition is CPU work, so taking one at a time lets
 * every worker process take a share (two processes, two partitions at once). The work yields to the
 * event loop between slices, so the job's lock is renewed; a process killed mid-partition loses only
 * that attempt, which another process retries.
 */
@Injectable()
export class LinkageBatchProcessor implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('linkage-batch');
  private worker?: Worker<JobPayloads[BatchJobName], unknown, BatchJobName>;
  readonly runs: RelinkRuns;

  constructor(
    @Inject(BROKER_CONFIG) private readonly config: BrokerConfig,
    @Inject(REDIS) private readonly redis: Redis,
    dataSource: DataSource,
    linkage: LinkageProcessor,
  ) {
    this.runs = new RelinkRuns(dataSource, linkage.service);
  }

  onApplicationBootstrap(): void {
    const worker = new Worker(QUEUES.linkageBatch, (job: BatchJob) => this.process(job), {
      connection: this.redis,
      prefix: bullPrefix(this.config.redisPrefix),
      concurrency: 1,
      lockDuration: 120_000,
    });
    this.worker = worker;
    worker.on('failed', (job, error) => {
      if (!job) return;
      this.logger.warn(
        { job: job.name, jobId: job.id, attempt: job.attemptsMade, err: error.message },
        'batch job failed',
      );
      if (job.attemptsMade >= (job.opts.attempts ?? 1))
        void this.runs
          .fail(job.data.runId, `${job.name} gave up: ${error.message}`)
          .catch((e: Error) => this.logger.warn({ err: e.message }, 'could not mark the run failed'));
    });
  }

  async process(job: BatchJob): Promise<unknown> {
    const { runId } = job.data;
    if (job.name === 'linkage.relink-partition') {
      const { partition } = job.data as JobPayloads['linkage.relink-partition'];
      const summary = await this.runs.scorePartition(runId, partition);
      this.logger.log({ runId, ...summary }, 'batch partition scored');
      return summary;
    }
    const diff = await this.runs.merge(runId, (stage) => this.logger.log({ runId, stage }, 'batch merge'));
    this.logger.log({ runId, ...diff }, 'batch re-link merged');
    return diff;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.worker?.close();
  }
}

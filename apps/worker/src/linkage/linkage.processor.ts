import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { type Job, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { DataSource } from 'typeorm';
import { BROKER_CONFIG, type BrokerConfig } from '@joinedup/config';
import { LiveGovernance } from '@joinedup/enforcement';
import { bullPrefix, type JobPayloads, QUEUES, REDIS } from '@joinedup/messaging';
import { LinkageService, loadTrainedModel, relinkAll } from '@joinedup/linkage-service';

type LinkageJobName = 'record.changed' | 'linkage.relink-all';
type LinkageJob = Job<JobPayloads[LinkageJobName], unknown, LinkageJobName>;

/**
 * Links what agencies send, one change at a time (concurrency 1: components are re-clustered under one
 * lock anyway), and runs batch re-links when an admin asks.
 */
@Injectable()
export class LinkageProcessor implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('linkage');
  private worker?: Worker<JobPayloads[LinkageJobName], unknown, LinkageJobName>;
  readonly service: LinkageService;

  constructor(
    @Inject(BROKER_CONFIG) private readonly config: BrokerConfig,
    @Inject(REDIS) private readonly redis: Redis,
    dataSource: DataSource,
    governance: LiveGovernance,
  ) {
    this.service = new LinkageService(dataSource, loadTrainedModel(), governance);
    this.dataSource = dataSource;
  }

  private readonly dataSource: DataSource;

  onApplicationBootstrap(): void {
    const worker = new Worker(QUEUES.linkage, (job: LinkageJob) => this.process(job), {
      connection: this.redis,
      prefix: bullPrefix(this.config.redisPrefix),
      concurrency: 1,
    });
    this.worker = worker;
    worker.on('failed', (job, error) =>
      this.logger.warn({ job: job?.name, jobId: job?.id, err: error.message }, 'linkage job failed'),
    );
  }

  async process(job: LinkageJob): Promise<unknown> {
    switch (job.name) {
      case 'record.changed': {
        const data = job.data as JobPayloads['record.changed'];
        const outcome = await this.service.relinkRecord(data.recordId, data.correlationId);
        this.logger.debug(
          { correlationId: data.correlationId, persons: outcome.persons.length, families: outcome.families.length },
          'record linked',
        );
        return { persons: outcome.persons.length, families: outcome.families.length };
      }
      case 'linkage.relink-all': {
        const data = job.data as JobPayloads['linkage.relink-all'];
        const diff = await relinkAll(this.dataSource, this.service, { dryRun: data.dryRun });
        this.logger.log({ ...diff }, 'batch re-link');
        return diff;
      }
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.worker?.close();
  }
}

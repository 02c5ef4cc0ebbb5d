import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { type Job, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { BROKER_CONFIG, type BrokerConfig } from '@joinedup/config';
import { systemClock } from '@joinedup/core';
import { AgreementExpiry } from '@joinedup/enforcement';
import { bullPrefix, type JobPayloads, QUEUES, REDIS } from '@joinedup/messaging';
import { AuditCheckpointService } from './audit-checkpoint.service.js';
import { keepSchedulers, SCHEDULER_CHECK_MS } from './kept-schedulers.js';
import { OutboxRelayService } from './outbox-relay.service.js';
import { RecordRetentionService } from './record-retention.service.js';
import { WorkerQueues } from './worker-queues.service.js';

type TimerName = 'outbox.sweep' | 'agreements.expire' | 'audit.checkpoint' | 'records.retention';
type TimersJob = Job<JobPayloads[TimerName], string, TimerName>;
/** Agreements end on a date; checking every minute expires them at most a minute late. */
const EXPIRE_EVERY_MS = 60_000;
/** Retention is counted in days: hourly is punctual enough. */
const RETENTION_EVERY_MS = 3_600_000;

/** Scheduled work: timers live in BullMQ (job schedulers), never in process memory. */
@Injectable()
export class TimersProcessor implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('timers');
  private worker?: Worker<JobPayloads[TimerName], string, TimerName>;
  private stopKeeping?: () => void;

  constructor(
    @Inject(BROKER_CONFIG) private readonly config: BrokerConfig,
    @Inject(REDIS) private readonly redis: Redis,
    private readonly queues: WorkerQueues,
    private readonly relay: OutboxRelayService,
    private readonly expiry: AgreementExpiry,
    private readonly checkpoints: AuditCheckpointService,
    private readonly retention: RecordRetentionService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.stopKeeping = await keepSchedulers(
      this.queues.queues.timers,
      [
        { id: 'outbox.sweep', every: 5000 },
        { id: 'agreements.expire', every: EXPIRE_EVERY_MS },
        { id: 'audit.checkpoint', every: this.config.auditCheckpointEverySeconds * 1000 },
        { id: 'records.retention', every: RETENTION_EVERY_MS },
      ],
      SCHEDULER_CHECK_MS,
      this.logger,
    );
    const worker = new Worker(QUEUES.timers, (job: TimersJob) => this.process(job), {
      connection: this.redis,
      prefix: bullPrefix(this.config.redisPrefix),
      concurrency: 1,
    });
    this.worker = worker;
    worker.on('failed', (job, error) => this.logger.warn({ job: job?.name, err: error.message }, 'timer job failed'));
  }

  async process(job: TimersJob): Promise<string> {
    switch (job.name) {
      case 'outbox.sweep':
        await this.relay.trigger();
        return 'swept';
      case 'agreements.expire': {
        const expired = await this.expiry.expireDue(systemClock.now());
        return expired.length > 0 ? `expired ${expired.length}: ${expired.join(', ')}` : 'skipped: none due';
      }
      case 'audit.checkpoint':
        return this.checkpoints.run();
      case 'records.retention':
        return this.retention.run(systemClock.now());
      default: {
        const unknown: never = job.name;
        throw new Error(`timers queue has no handler for ${String(unknown)}`);
      }
    }
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopKeeping?.();
    await this.worker?.close();
  }
}

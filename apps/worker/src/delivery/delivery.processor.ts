import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { type Job, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { DataSource } from 'typeorm';
import { BROKER_CONFIG, type BrokerConfig } from '@joinedup/config';
import { NotificationGate, WebhookDelivery } from '@joinedup/coordination-service';
import { LiveGovernance } from '@joinedup/enforcement';
import { bullPrefix, createdNotifications, type JobPayloads, QUEUES, REDIS } from '@joinedup/messaging';
import { WorkerMetrics } from '../metrics/worker-metrics.js';
import { keepSchedulers } from '../kept-schedulers.js';
import { WorkerQueues } from '../worker-queues.service.js';
import { deliveryMetrics } from './delivery-metrics.js';

type DeliveryJobName = 'notification.created' | 'webhook.attempt' | 'deliveries.sweep';
type DeliveryJob = Job<JobPayloads[DeliveryJobName], unknown, DeliveryJobName>;
/**
 * Jobs in flight at once. A job mostly waits (for its group's commit, for the receiver), so many in
 * flight keep the process busy and make the fan-out and success groups large (fewer transactions).
 */
const CONCURRENCY = 512;

/**
 * Delivers notifications: fans each out to its agency's webhook endpoints and runs each attempt as its
 * own job. Short locks, so a killed worker's attempts run again within seconds; receivers deduplicate on
 * the stable webhook-id, so a re-run is never a second effect.
 */
@Injectable()
export class DeliveryProcessor implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('delivery');
  private worker?: Worker<JobPayloads[DeliveryJobName], unknown, DeliveryJobName>;
  private stopKeeping?: () => void;
  readonly delivery: WebhookDelivery;
  private readonly queue: WorkerQueues['queues']['delivery'];

  constructor(
    @Inject(BROKER_CONFIG) private readonly config: BrokerConfig,
    @Inject(REDIS) private readonly redis: Redis,
    dataSource: DataSource,
    governance: LiveGovernance,
    queues: WorkerQueues,
    metrics: WorkerMetrics,
  ) {
    const queue = queues.queues.delivery;
    this.queue = queue;
    this.delivery = new WebhookDelivery(
      dataSource,
      new NotificationGate(governance),
      {
        allowHosts: config.webhookAllowHosts,
        retryBaseMs: config.webhookRetryBaseMs,
        timeoutMs: config.webhookTimeoutMs,
      },
      async (deliveryId, attempt, delay, round) => {
        await queue.add(
          'webhook.attempt',
          { deliveryId, attempt },
          { jobId: `${deliveryId}-${round}-a${attempt}`, ...(delay > 0 ? { delay } : {}) },
        );
      },
      deliveryMetrics(metrics.registry),
    );
  }

  async onApplicationBootstrap(): Promise<void> {
    const every = this.config.deliverySweepSeconds * 1000;
    // Checked every sweep period: the sweep is the backstop for deliveries whose jobs Redis lost.
    this.stopKeeping = await keepSchedulers(this.queue, [{ id: 'deliveries.sweep', every }], every, this.logger);
    this.worker = new Worker(QUEUES.delivery, (job: DeliveryJob) => this.process(job), {
      connection: this.redis,
      prefix: bullPrefix(this.config.redisPrefix),
      concurrency: CONCURRENCY,
      lockDuration: 10_000,
      stalledInterval: 5_000,
    });
    this.worker.on('failed', (job, error) =>
      this.logger.warn({ job: job?.name, jobId: job?.id, err: error.message }, 'delivery job failed'),
    );
  }

  async process(job: DeliveryJob): Promise<unknown> {
    switch (job.name) {
      case 'notification.created': {
        const data = job.data as JobPayloads['notification.created'];
        const ids = createdNotifications(data);
        // Fanned out together: the fan-out group-commits what is submitted at once.
        const counts = await Promise.all(ids.map((id) => this.delivery.fanOut(id)));
        return { deliveries: counts.reduce((a, b) => a + b, 0) };
      }
      case 'webhook.attempt': {
        const data = job.data as JobPayloads['webhook.attempt'];
        return { outcome: await this.delivery.attempt(data.deliveryId, data.attempt) };
      }
      case 'deliveries.sweep':
        // Anything overdue by two sweep periods is taken as lost; re-queuing what was not is harmless.
        return this.delivery.sweep(this.config.deliverySweepSeconds * 2000, async (notificationId) => {
          await this.queue.add(
            'notification.created',
            { notificationId, correlationId: 'sweep' },
            { jobId: `sweep-${notificationId}` },
          );
        });
    }
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopKeeping?.();
    await this.worker?.close();
  }
}

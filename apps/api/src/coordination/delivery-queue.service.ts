import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { BROKER_CONFIG, type BrokerConfig } from '@joinedup/config';
import { closeQueues, createQueues, type QueueSet, REDIS } from '@joinedup/messaging';

/** The api's producer for the delivery queue (dead-letter replays) and the queues the dashboard shows. */
@Injectable()
export class DeliveryQueue implements OnApplicationShutdown {
  readonly queues: QueueSet;

  constructor(@Inject(BROKER_CONFIG) config: BrokerConfig, @Inject(REDIS) redis: Redis) {
    this.queues = createQueues(redis, config.redisPrefix);
  }

  get delivery(): Queue {
    return this.queues.delivery;
  }

  /** `round` is the delivery's new created_at (ms): the same job id scheme as the worker's attempts. */
  async replay(deliveryId: string, round: number): Promise<void> {
    await this.delivery.add('webhook.attempt', { deliveryId, attempt: 0 }, { jobId: `${deliveryId}-${round}-a0` });
  }

  async onApplicationShutdown(): Promise<void> {
    await closeQueues(this.queues);
  }
}

import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { BROKER_CONFIG, type BrokerConfig } from '@joinedup/config';
import { closeQueues, createQueues, type QueueSet, REDIS } from '@joinedup/messaging';

/** The worker's producers (relay, schedulers). Consumers live in the processors. */
@Injectable()
export class WorkerQueues implements OnApplicationShutdown {
  readonly queues: QueueSet;

  constructor(@Inject(BROKER_CONFIG) config: BrokerConfig, @Inject(REDIS) redis: Redis) {
    this.queues = createQueues(redis, config.redisPrefix);
  }

  async onApplicationShutdown(): Promise<void> {
    await closeQueues(this.queues);
  }
}

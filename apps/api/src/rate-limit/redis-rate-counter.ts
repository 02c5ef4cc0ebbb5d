import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { BROKER_CONFIG, type BrokerConfig } from '@joinedup/config';
import { REDIS } from '@joinedup/messaging';

/** Fixed-window counters in Redis, so every api replica counts the same caller together. */
@Injectable()
export class RedisRateCounter {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(BROKER_CONFIG) private readonly config: BrokerConfig,
  ) {}

  /** Counts one hit; answers the hits in the current window and the seconds until it ends. */
  async hit(tracker: string, windowMs: number): Promise<{ hits: number; secondsLeft: number }> {
    const key = `${this.config.redisPrefix}:rate:${tracker}`;
    const [[, hits], , [, pttl]] = (await this.redis
      .multi()
      .incr(key)
      .pexpire(key, windowMs, 'NX')
      .pttl(key)
      .exec()) as [[null, number], [null, number], [null, number]];
    return { hits, secondsLeft: Math.max(1, Math.ceil(pttl / 1000)) };
  }
}

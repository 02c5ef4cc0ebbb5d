import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { BROKER_CONFIG, type BrokerConfig } from '@joinedup/config';
import { REDIS } from '@joinedup/messaging';

/** Counts a hit and starts the window on the first: one command instead of a five-command MULTI. */
const HIT_SCRIPT = `
local hits = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {hits, ttl}`;

type WithHit = Redis & { joinedupRateHit(key: string, windowMs: number): Promise<[number, number]> };

/** Fixed-window counters in Redis, so every api replica counts the same caller together. */
@Injectable()
export class RedisRateCounter {
  private readonly redis: WithHit;

  constructor(
    @Inject(REDIS) redis: Redis,
    @Inject(BROKER_CONFIG) private readonly config: BrokerConfig,
  ) {
    // defineCommand sends EVALSHA and loads the script once when Redis does not know it.
    if (!('joinedupRateHit' in redis)) redis.defineCommand('joinedupRateHit', { numberOfKeys: 1, lua: HIT_SCRIPT });
    this.redis = redis as WithHit;
  }

  /** Counts one hit; answers the hits in the current window and the seconds until it ends. */
  async hit(tracker: string, windowMs: number): Promise<{ hits: number; secondsLeft: number }> {
    const key = `${this.config.redisPrefix}:rate:${tracker}`;
    const [hits, pttl] = await this.redis.joinedupRateHit(key, windowMs);
    return { hits, secondsLeft: Math.max(1, Math.ceil(pttl / 1000)) };
  }
}

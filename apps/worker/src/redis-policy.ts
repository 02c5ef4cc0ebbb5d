import type { Redis } from 'ioredis';
import { BrokerError } from '@joinedup/core';

/** BullMQ loses jobs silently when Redis evicts keys; the worker refuses to run on such a Redis. */
export async function assertNoEviction(redis: Redis): Promise<void> {
  const reply = (await redis.config('GET', 'maxmemory-policy')) as string[];
  const policy = reply[1];
  if (policy !== 'noeviction') {
    throw new BrokerError(
      'CONFIG_INVALID',
      `Redis maxmemory-policy is "${policy}"; the worker needs "noeviction" (redis-cli CONFIG SET maxmemory-policy noeviction)`,
      { maxmemoryPolicy: policy },
    );
  }
}

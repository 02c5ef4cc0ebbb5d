import { Global, Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { Redis } from 'ioredis';
import { BROKER_CONFIG, type BrokerConfig } from '@joinedup/config';

export const REDIS = Symbol.for('joinedup.Redis');

/** BullMQ workers need maxRetriesPerRequest: null; one set of options keeps every client alike. */
export const REDIS_CLIENT_OPTIONS = { maxRetriesPerRequest: null } as const;

@Injectable()
class RedisCloser implements OnApplicationShutdown {
  constructor(@Inject(REDIS) private readonly redis: Redis) {}
  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}

/** One shared client for health checks, replay protection and rate limits. Keys are prefixed by the caller. */
@Global()
@Module({
  providers: [
    {
      provide: REDIS,
      inject: [BROKER_CONFIG],
      useFactory: (config: BrokerConfig) => {
        // Auto-pipelining sends the commands of one tick in one write: under load every request's
        // rate-limit hit would otherwise be its own system call.
        const client = new Redis(config.redisUrl, { ...REDIS_CLIENT_OPTIONS, enableAutoPipelining: true });
        // Errors surface through health checks; without a listener ioredis would log each retry.
        client.on('error', () => undefined);
        return client;
      },
    },
    RedisCloser,
  ],
  exports: [REDIS],
})
export class RedisModule {}

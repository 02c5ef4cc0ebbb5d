import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { type BrokerConfig, loadConfig } from '@joinedup/config';
import { REDIS_CLIENT_OPTIONS } from '@joinedup/messaging';
import { RedisRateCounter } from './redis-rate-counter.js';

/** Two counters on one Redis stand for two api replicas. */
describe('rate counters shared through Redis', () => {
  const base = loadConfig({ ...process.env, NODE_ENV: 'test' });
  const config = { ...base, redisPrefix: `test-rate-${randomBytes(6).toString('hex')}` } as BrokerConfig;
  let redis: Redis;
  let one: RedisRateCounter;
  let two: RedisRateCounter;
  beforeAll(() => {
    redis = new Redis(base.redisUrl, REDIS_CLIENT_OPTIONS);
    one = new RedisRateCounter(redis, config);
    two = new RedisRateCounter(redis, config);
  });
  afterAll(async () => {
    one.onModuleDestroy();
    two.onModuleDestroy();
    const keys = await redis.keys(`${config.redisPrefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  });
  const settle = () => new Promise((r) => setTimeout(r, 250));

  it('counts every hit of a replica exactly, and sends them to Redis within a moment', async () => {
    const seen: number[] = [];
    for (let i = 0; i < 25; i += 1) seen.push((await one.hit('client:a', 60_000)).hits);
    expect(seen).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
    await settle();
    expect(Number(await redis.get(`${config.redisPrefix}:rate:client:a`))).toBe(25);
    expect(await redis.pttl(`${config.redisPrefix}:rate:client:a`)).toBeGreaterThan(50_000);
  });

  it('adds another replica’s hits to the same caller’s count', async () => {
    const first = await two.hit('client:a', 60_000);
    expect(first.hits).toBe(26); // its first hit in the window asks Redis, which holds the other's 25
    for (let i = 0; i < 4; i += 1) await two.hit('client:a', 60_000);
    await settle();
    expect((await one.hit('client:a', 60_000)).hits).toBe(26); // one has not heard of two's hits yet
    await settle();
    expect((await one.hit('client:a', 60_000)).hits).toBe(32); // its last send brought them back
    expect((await one.hit('client:b', 60_000)).hits).toBe(1);
  });

  it('starts a new window once the old one ends', async () => {
    for (let i = 0; i < 3; i += 1) await one.hit('client:c', 300);
    await new Promise((r) => setTimeout(r, 450));
    const next = await one.hit('client:c', 300);
    expect(next.hits).toBe(1);
    expect(next.secondsLeft).toBe(1);
  });
});

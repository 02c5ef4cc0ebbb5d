import { randomBytes } from 'node:crypto';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { loadConfig } from '@joinedup/config';
import { bullPrefix, OneWaiting, REDIS_CLIENT_OPTIONS } from '@joinedup/messaging';

describe('OneWaiting', () => {
  const prefix = bullPrefix(`test:${randomBytes(6).toString('hex')}`);
  let redis: Redis;
  let queue: Queue;
  beforeAll(() => {
    redis = new Redis(loadConfig({ ...process.env, NODE_ENV: 'test' }).redisUrl, REDIS_CLIENT_OPTIONS);
    queue = new Queue('redo', { connection: redis, prefix });
  });
  afterAll(async () => {
    await queue.obliterate({ force: true });
    await queue.close();
    redis.disconnect();
  });

  it('queues one job while the last one waits, and a new one once it has started', async () => {
    const asks = new OneWaiting(queue, 'redo', (id) => ({ correlationId: id }));
    const first = await asks.request();
    // Asked again and again while the first waits (a lock held elsewhere, say): nothing new is queued.
    for (let i = 0; i < 5; i++) expect(await asks.request()).toBe(first);
    expect(await queue.getJobCounts('waiting')).toEqual({ waiting: 1 });

    // The first starts and holds: a change made now needs a run of its own, queued once.
    let release!: () => void;
    const holding = new Promise<void>((r) => (release = r));
    let started!: () => void;
    const running = new Promise<void>((r) => (started = r));
    const seen: string[] = [];
    const workerConnection = redis.duplicate();
    const worker = new Worker(
      'redo',
      async (job) => {
        seen.push(job.id!);
        started();
        if (job.id === first) await holding;
      },
      { connection: workerConnection, prefix, concurrency: 1 },
    );
    await running;
    const second = await asks.request();
    expect(second).not.toBe(first);
    expect(await asks.request()).toBe(second);
    release();
    while (seen.length < 2 || (await queue.getJobCounts('completed')).completed < 2)
      await new Promise((r) => setTimeout(r, 20));
    await worker.close();
    workerConnection.disconnect();
    expect(seen).toEqual([first, second]);
  }, 20_000);
});

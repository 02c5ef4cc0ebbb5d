import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { DataSource } from 'typeorm';
import { closeQueues, createQueues, OutboxRelay, REDIS_CLIENT_OPTIONS, type QueueSet } from '@joinedup/messaging';
import { createDataSource } from '@joinedup/persistence';
import { createTestDatabase, testConfig, type TestDatabase } from '@joinedup/testing';

describe('OutboxRelay', () => {
  let db: TestDatabase;
  let owner: DataSource;
  let redis: Redis;
  let queues: QueueSet;
  beforeAll(async () => {
    db = await createTestDatabase();
    owner = createDataSource(db.ownerUrl);
    await owner.initialize();
    redis = new Redis(testConfig(db).redisUrl, REDIS_CLIENT_OPTIONS);
    queues = createQueues(redis, `test:${randomBytes(6).toString('hex')}`);
  });
  afterAll(async () => {
    await closeQueues(queues);
    redis.disconnect();
    await owner.destroy();
    await db.drop();
  });

  it('relays what it has a queue for, and rows for a consumer not built yet never block the ones behind them', async () => {
    // 600 older rows for a topic with no queue in this build, then one record.changed.
    await owner.query(
      `INSERT INTO outbox_event (topic, payload, created_at)
       SELECT 'someday.consumed', jsonb_build_object('familyId', gen_random_uuid()), now() - interval '1 hour'
       FROM generate_series(1, 600)`,
    );
    const [row] = await owner.query<{ id: string }[]>(
      `INSERT INTO outbox_event (topic, agency_id, payload)
       VALUES ('record.changed', 'a', '{"agencyId":"a","recordId":"00000000-0000-0000-0000-000000000001","correlationId":"c"}')
       RETURNING id`,
    );
    const relay = new OutboxRelay(owner, queues);
    expect(await relay.relayOnce(500)).toBe(1);
    expect(await queues.linkage.getJob(row!.id)).toBeDefined();
    const [waiting] = await owner.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM outbox_event WHERE relayed_at IS NULL AND topic = 'someday.consumed'`,
    );
    expect(waiting!.n).toBe(600);
  });
});

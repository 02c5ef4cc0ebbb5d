import type { INestApplication } from '@nestjs/common';
import { createApi } from '../apps/api/src/bootstrap.js';
import { createWorker } from '../apps/worker/src/bootstrap.js';
import { createTestDatabase, startTestRedis, testConfig, type TestDatabase, type TestRedis } from '@joinedup/testing';

async function listen(app: INestApplication): Promise<string> {
  await app.listen(0, '127.0.0.1');
  return app.getUrl();
}

describe('health', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db.drop();
  });

  describe('with PostgreSQL and Redis up', () => {
    let api: INestApplication;
    let base: string;
    beforeAll(async () => {
      api = await createApi(testConfig(db));
      base = await listen(api);
    });
    afterAll(async () => {
      await api.close();
    });

    it('answers ready with both dependencies up', async () => {
      const response = await fetch(`${base}/health/ready`);
      expect(response.status).toBe(200);
      const body = (await response.json()) as { info: Record<string, { status: string }> };
      expect(body.info.postgres.status).toBe('up');
      expect(body.info.redis.status).toBe('up');
    });

    it('answers live, serves OpenAPI, and maps unknown routes to the stable error body', async () => {
      expect((await fetch(`${base}/health/live`)).status).toBe(200);
      const docs = (await (await fetch(`${base}/docs-json`)).json()) as { paths: Record<string, unknown> };
      expect(Object.keys(docs.paths)).toContain('/health/ready');
      const missing = await fetch(`${base}/no-such-route`, { headers: { 'x-request-id': 'req-123' } });
      expect(missing.status).toBe(404);
      expect(await missing.json()).toEqual({
        code: 'NOT_FOUND',
        message: 'Cannot GET /no-such-route',
        requestId: 'req-123',
      });
    });

    it('denies by default: a route without a token answers 401', async () => {
      const response = await fetch(`${base}/docs-json`);
      expect(response.status).toBe(200);
      const denied = await fetch(`${base}/health/../v1/anything`);
      expect([401, 404]).toContain(denied.status);
    });
  });

  describe('with Redis stopped', () => {
    let redis: TestRedis;
    let api: INestApplication;
    let base: string;
    beforeAll(async () => {
      redis = await startTestRedis();
      api = await createApi(testConfig(db, { REDIS_URL: redis.url }));
      base = await listen(api);
    });
    afterAll(async () => {
      await api.close();
      await redis.dispose();
    });

    it('answers 503 naming Redis, and recovers when Redis returns', async () => {
      expect((await fetch(`${base}/health/ready`)).status).toBe(200);
      await redis.stop();
      const down = await fetch(`${base}/health/ready`);
      expect(down.status).toBe(503);
      const body = (await down.json()) as {
        code: string;
        message: string;
        details: { error: Record<string, { status: string }>; info: Record<string, unknown> };
      };
      expect(body.code).toBe('DEPENDENCY_DOWN');
      expect(body.message).toBe('not ready: redis down');
      expect(Object.keys(body.details.error)).toEqual(['redis']);
      expect(body.details.error.redis.status).toBe('down');
      expect(body.details.info).toHaveProperty('postgres');
      await redis.start();
      for (let i = 0; i < 50; i += 1) {
        if ((await fetch(`${base}/health/ready`)).status === 200) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      expect((await fetch(`${base}/health/ready`)).status).toBe(200);
    });
  });

  describe('worker', () => {
    it('serves its own health endpoint', async () => {
      const worker = await createWorker(testConfig(db));
      const base = await listen(worker);
      try {
        expect((await fetch(`${base}/health/ready`)).status).toBe(200);
      } finally {
        await worker.close();
      }
    });

    it('refuses to start on a Redis that evicts keys', async () => {
      const redis = await startTestRedis({ aof: false });
      try {
        const { Redis } = await import('ioredis');
        const client = new Redis(redis.url);
        await client.config('SET', 'maxmemory-policy', 'allkeys-lru');
        client.disconnect();
        await expect(createWorker(testConfig(db, { REDIS_URL: redis.url }))).rejects.toThrow(/noeviction/);
      } finally {
        await redis.dispose();
      }
    });
  });
});

import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { INestApplication } from '@nestjs/common';
import { Redis } from 'ioredis';
import { Logger } from 'nestjs-pino';
import type { BrokerConfig } from '@joinedup/config';
import { REDIS_CLIENT_OPTIONS } from '@joinedup/messaging';
import { assertNoEviction } from './redis-policy.js';
import { WorkerModule } from './worker.module.js';

/** Builds the worker as main.ts runs it: refuses an evicting Redis before anything is consumed. */
export async function createWorker(config: BrokerConfig): Promise<INestApplication> {
  const probe = new Redis(config.redisUrl, { ...REDIS_CLIENT_OPTIONS, lazyConnect: true });
  try {
    await probe.connect();
    await assertNoEviction(probe);
  } finally {
    probe.disconnect();
  }
  const app = await NestFactory.create(WorkerModule.forRoot(config), { bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  return app;
}

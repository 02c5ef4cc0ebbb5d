import { randomBytes } from 'node:crypto';
import { type BrokerConfig, loadConfig } from '@joinedup/config';
import type { TestDatabase } from './test-database.js';

/** Config for one test file: its own database, its own Redis key prefix, no logs. */
export function testConfig(db: TestDatabase, overrides: Record<string, string> = {}): BrokerConfig {
  return loadConfig({
    ...process.env,
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    PORT: '0',
    WORKER_PORT: '0',
    DATABASE_URL: db.appUrl,
    DATABASE_OWNER_URL: db.ownerUrl,
    REDIS_PREFIX: `test:${randomBytes(6).toString('hex')}`,
    ...overrides,
  });
}

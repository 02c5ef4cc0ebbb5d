import { randomBytes } from 'node:crypto';
import { type BrokerConfig, loadConfig } from '@joinedup/config';
import type { TestDatabase } from './test-database.js';

export const TEST_ADMIN = { email: 'platform-admin@test.invalid', password: `admin-${randomBytes(9).toString('hex')}` };

/** Config for one test file: its own database, its own Redis key prefix, no logs, a bootstrapped admin. */
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
    BOOTSTRAP_ADMIN_EMAIL: TEST_ADMIN.email,
    BOOTSTRAP_ADMIN_PASSWORD: TEST_ADMIN.password,
    // Test receivers listen on loopback; retries in tests wait milliseconds, not minutes.
    WEBHOOK_ALLOW_HOSTS: '127.0.0.1',
    WEBHOOK_RETRY_BASE_MS: '50',
    WEBHOOK_TIMEOUT_MS: '2000',
    ...overrides,
  });
}

import type { INestApplication } from '@nestjs/common';
import { createApi } from '../../apps/api/src/bootstrap.js';
import { freePort, signIn, TEST_ADMIN, testConfig, type TestDatabase } from '@joinedup/testing';

export interface RunningApi {
  app: INestApplication;
  base: string;
  adminToken: string;
  close(): Promise<void>;
}

/** The api as main.ts runs it, on a free port that is also its public URL (the OAuth issuer). */
export async function startApi(db: TestDatabase, overrides: Record<string, string> = {}): Promise<RunningApi> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const app = await createApi(testConfig(db, { PORT: String(port), PUBLIC_URL: base, ...overrides }));
  await app.listen(port, '127.0.0.1');
  const adminToken = await signIn(base, TEST_ADMIN.email, TEST_ADMIN.password);
  return { app, base, adminToken, close: () => app.close() };
}

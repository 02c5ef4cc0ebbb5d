import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { loadConfig } from '@joinedup/config';

const ENV_TEMPLATE = 'JOINEDUP_TEST_TEMPLATE';
const ENV_RUN = 'JOINEDUP_TEST_RUN';

/** The owner's URL with another database name. */
export function withDatabase(url: string, database: string): string {
  const next = new URL(url);
  next.pathname = `/${database}`;
  return next.toString();
}

export function baseUrls(): { ownerUrl: string; appUrl: string } {
  const config = loadConfig(process.env);
  return { ownerUrl: config.databaseOwnerUrl, appUrl: config.databaseUrl };
}

export async function adminQuery(sql: string, params: unknown[] = []): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: withDatabase(baseUrls().ownerUrl, 'postgres') });
  await client.connect();
  try {
    return await client.query(sql, params);
  } finally {
    await client.end();
  }
}

export function setTemplate(runId: string, template: string): void {
  process.env[ENV_RUN] = runId;
  process.env[ENV_TEMPLATE] = template;
}

export interface TestDatabase {
  name: string;
  /** The app role's URL: what the apps use. */
  appUrl: string;
  /** The owner's URL: for tests that must look behind the app's back (tampering, grants). */
  ownerUrl: string;
  drop(): Promise<void>;
}

/**
 * A fresh database for one test file, cloned from the migrated template the global setup made,
 * so runs and files cannot see each other's rows.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const template = process.env[ENV_TEMPLATE];
  const runId = process.env[ENV_RUN];
  if (!template || !runId) throw new Error('no test template: run through jest with the int/e2e project global setup');
  const name = `jt_${runId}_${randomBytes(4).toString('hex')}`;
  await adminQuery(`CREATE DATABASE "${name}" TEMPLATE "${template}"`);
  const { ownerUrl, appUrl } = baseUrls();
  return {
    name,
    appUrl: withDatabase(appUrl, name),
    ownerUrl: withDatabase(ownerUrl, name),
    drop: async () => {
      await adminQuery(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    },
  };
}

// Drops every database this run made (the template and each test file's clone).
import pg from 'pg';

export default async function globalTeardown() {
  const runId = process.env.JOINEDUP_TEST_RUN;
  if (!runId) return;
  const url = new URL(process.env.DATABASE_OWNER_URL || 'postgres://postgres@127.0.0.1:5432/joinedup');
  url.pathname = '/postgres';
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    const { rows } = await client.query(`SELECT datname FROM pg_database WHERE datname LIKE $1`, [`jt\\_${runId}\\_%`]);
    for (const row of rows) await client.query(`DROP DATABASE IF EXISTS "${row.datname}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
  delete process.env.JOINEDUP_TEST_RUN;
  delete process.env.JOINEDUP_TEST_TEMPLATE;
}

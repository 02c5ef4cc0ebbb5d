import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '@joinedup/testing';

describe('the app role', () => {
  let db: TestDatabase;
  let client: pg.Client;
  beforeAll(async () => {
    db = await createTestDatabase();
    client = new pg.Client({ connectionString: db.appUrl });
    await client.connect();
  });
  afterAll(async () => {
    await client.end();
    await db.drop();
  });

  it('is neither superuser nor able to bypass row-level security', async () => {
    const { rows } = await client.query('SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user');
    expect(rows[0]).toEqual({ rolsuper: false, rolbypassrls: false });
  });

  it('owns no table, so it cannot alter or disable policies', async () => {
    const { rows } = await client.query(
      `SELECT count(*)::int AS owned FROM pg_tables WHERE schemaname = 'public' AND tableowner = current_user`,
    );
    expect(rows[0].owned).toBe(0);
    await expect(client.query('DROP TABLE outbox_event')).rejects.toThrow(/must be owner/);
  });

  it('cannot touch the migrations table', async () => {
    await expect(client.query('SELECT * FROM typeorm_migrations')).rejects.toThrow(/permission denied/);
  });
});

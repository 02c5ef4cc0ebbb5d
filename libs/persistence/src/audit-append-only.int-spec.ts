import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '@joinedup/testing';

const INSERT = `INSERT INTO audit_event (seq, id, at, type, actor, prev_hash, hash)
  VALUES ($1, gen_random_uuid(), now(), 'test', '{"kind":"system","id":"test"}', $2, $3)`;

describe('audit_event is append-only', () => {
  let db: TestDatabase;
  let app: pg.Client;
  let owner: pg.Client;
  beforeAll(async () => {
    db = await createTestDatabase();
    app = new pg.Client({ connectionString: db.appUrl });
    owner = new pg.Client({ connectionString: db.ownerUrl });
    await Promise.all([app.connect(), owner.connect()]);
    await app.query(INSERT, [1, 'genesis', 'h1']);
  });
  afterAll(async () => {
    await Promise.all([app.end(), owner.end()]);
    await db.drop();
  });

  it('lets the app role append and read', async () => {
    await app.query(INSERT, [2, 'h1', 'h2']);
    const { rows } = await app.query('SELECT seq FROM audit_event ORDER BY seq');
    expect(rows.map((r) => Number(r.seq))).toEqual([1, 2]);
  });

  it('refuses the app role UPDATE, DELETE and TRUNCATE by grant', async () => {
    await expect(app.query(`UPDATE audit_event SET type = 'edited' WHERE seq = 1`)).rejects.toThrow(
      /permission denied/,
    );
    await expect(app.query(`DELETE FROM audit_event WHERE seq = 1`)).rejects.toThrow(/permission denied/);
    await expect(app.query(`TRUNCATE audit_event`)).rejects.toThrow(/permission denied/);
  });

  it('refuses even the owner by trigger', async () => {
    await expect(owner.query(`UPDATE audit_event SET type = 'edited' WHERE seq = 1`)).rejects.toThrow(
      /append-only: UPDATE refused/,
    );
    await expect(owner.query(`DELETE FROM audit_event WHERE seq = 1`)).rejects.toThrow(/append-only: DELETE refused/);
    await expect(owner.query(`TRUNCATE audit_event`)).rejects.toThrow(/append-only: TRUNCATE refused/);
    const { rows } = await owner.query('SELECT type FROM audit_event WHERE seq = 1');
    expect(rows[0].type).toBe('test');
  });
});

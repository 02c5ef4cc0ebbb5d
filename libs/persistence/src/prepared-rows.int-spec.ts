import type { DataSource } from 'typeorm';
import { createTestDatabase, type TestDatabase } from '@joinedup/testing';
import { createDataSource, preparedRows, withSystemScope } from '@joinedup/persistence';

describe('preparedRows', () => {
  let db: TestDatabase;
  let dataSource: DataSource;
  beforeAll(async () => {
    db = await createTestDatabase();
    // One connection, so every transaction below runs on the same one.
    dataSource = createDataSource(db.appUrl, { extra: { max: 1 } });
    await dataSource.initialize();
  });
  afterAll(async () => {
    await dataSource.destroy();
    await db.drop();
  });

  const sql = 'SELECT $1::int + 1 AS n, $2::text[] AS names';
  const preparedOnConnection = (m: Parameters<typeof preparedRows>[0]) =>
    m.query(`SELECT count(*)::int AS n FROM pg_prepared_statements WHERE statement = $1`, [sql]);

  it('answers the rows a plain query would, and prepares its statement once per connection', async () => {
    for (const i of [1, 2, 3]) {
      const rows = await withSystemScope(dataSource, async (m) => {
        const answer = await preparedRows(m, sql, [i, ['a', 'b']]);
        expect(await preparedOnConnection(m)).toEqual([{ n: 1 }]);
        return answer;
      });
      expect(rows).toEqual([{ n: i + 1, names: ['a', 'b'] }]);
    }
  });

  it('runs as a plain query outside a transaction', async () => {
    expect(await preparedRows(dataSource.manager, 'SELECT $1::int * 2 AS n', [21])).toEqual([{ n: 42 }]);
    const named = await dataSource.query(
      `SELECT count(*)::int AS n FROM pg_prepared_statements WHERE statement LIKE '%* 2 AS n'`,
    );
    expect(named).toEqual([{ n: 0 }]);
  });
});

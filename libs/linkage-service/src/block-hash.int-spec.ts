import pg from 'pg';
import { blockHash, blockingKeys, fromCanonical, prepareRecord } from '@joinedup/linkage';
import { generatePlace } from '@joinedup/place';
import { createTestDatabase, type TestDatabase } from '@joinedup/testing';
import { loadTrainedModel } from './trained-model.js';

describe('block hashes made in the service', () => {
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

  it("equal PostgreSQL's hashtextextended(key, 0) for every key a place has, and for any text", async () => {
    const model = loadTrainedModel();
    const placeKeys = [...generatePlace({ seed: 3, records: 400 })].flatMap(({ record }) => {
      const { agency, ...canonical } = record;
      return blockingKeys(prepareRecord(fromCanonical(agency, canonical, [])), model.blocking);
    });
    // Every length around the hash's 12-byte steps, and characters of two, three and four bytes.
    const lengths = Array.from({ length: 40 }, (_, n) => 'k'.repeat(n));
    const unicode = ['zoë', 'Łukasz', 'Siân ap Rhys', '日本語の名前', 'emoji 😀 key', 'é'.repeat(13), '\u0001\u007f'];
    const keys = [...new Set([...placeKeys, ...lengths, ...unicode])];
    expect(placeKeys.length).toBeGreaterThan(2000);
    const { rows } = await client.query<{ h: string }>(
      `SELECT hashtextextended(k, 0)::text AS h FROM unnest($1::text[]) WITH ORDINALITY AS u(k, i) ORDER BY i`,
      [keys],
    );
    expect(keys.map((k) => blockHash(k).toString())).toEqual(rows.map((r) => r.h));
  });
});

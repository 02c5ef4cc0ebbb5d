import { createTestDatabase, registerAgencyClient, type TestDatabase } from '@joinedup/testing';
import { startApi, type RunningApi } from '../support/start-api.js';

describe('rate limits per client', () => {
  let db: TestDatabase;
  let api: RunningApi;
  beforeAll(async () => {
    db = await createTestDatabase();
    api = await startApi(db, { RATE_LIMIT_PER_MINUTE: '8' });
  });
  afterAll(async () => {
    await api.close();
    await db.drop();
  });

  it('answers 429 with Retry-After once a client goes over, and counts each client on its own', async () => {
    const a = await registerAgencyClient(api.base, api.adminToken, { agencyId: 'agency-a' });
    const b = await registerAgencyClient(api.base, api.adminToken, { agencyId: 'agency-b' });
    const tokenA = await a.getToken();
    const tokenB = await b.getToken();
    const read = (token: string) => fetch(`${api.base}/v1/records`, { headers: { authorization: `Bearer ${token}` } });
    const statuses: number[] = [];
    for (let i = 0; i < 10; i += 1) statuses.push((await read(tokenA)).status);
    expect(statuses.slice(0, 8)).toEqual(Array(8).fill(200));
    const limited = await read(tokenA);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await limited.json()).toMatchObject({ code: 'RATE_LIMITED' });
    expect((await read(tokenB)).status).toBe(200);
  });
});

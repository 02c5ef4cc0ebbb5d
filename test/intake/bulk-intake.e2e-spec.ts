import { request as httpRequest } from 'node:http';
import { createTestDatabase, registerAgencyClient, type TestClient, type TestDatabase } from '@joinedup/testing';
import { startApi, type RunningApi } from '../support/start-api.js';

const AGENCY = 'northmoor-csc';
const line = (n: number, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    agency: AGENCY,
    externalId: `b-${n}`,
    version: 1,
    name: { given: 'Ada', family: `Family${n}` },
    ...extra,
  });

describe('bulk intake over HTTP', () => {
  let db: TestDatabase;
  let api: RunningApi;
  let client: TestClient;
  let token: string;
  beforeAll(async () => {
    db = await createTestDatabase();
    api = await startApi(db);
    client = await registerAgencyClient(api.base, api.adminToken, { agencyId: AGENCY });
    token = await client.getToken();
  });
  afterAll(async () => {
    await api.close();
    await db.drop();
  });

  const bulk = (body: string, headers: Record<string, string> = {}) =>
    fetch(`${api.base}/v1/records:bulk`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-ndjson', ...headers },
      body,
    });
  const parse = async (response: Response) =>
    (await response.text())
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);

  it('answers each line and a summary, keeping valid lines when others fail', async () => {
    const response = await bulk([line(1), '{broken', line(3, { birthDate: '2020-02-31' }), line(4)].join('\n'));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('application/x-ndjson');
    const answers = await parse(response);
    expect(answers.slice(0, 4).map((a) => [a.line, a.status])).toEqual([
      [1, 'accepted'],
      [2, 'rejected'],
      [3, 'rejected'],
      [4, 'accepted'],
    ]);
    expect(answers[2]).toMatchObject({ errors: [{ field: 'birthDate' }] });
    expect(answers[4]).toEqual({
      summary: { lines: 4, accepted: 2, updated: 0, unchanged: 0, warnings: 0, rejected: 2 },
    });
    const stored = (await (
      await fetch(`${api.base}/v1/records`, { headers: { authorization: `Bearer ${token}` } })
    ).json()) as { items: unknown[] };
    expect(stored.items).toHaveLength(2);
  });

  it('replays its answer for a retried Idempotency-Key, and refuses the key for another file', async () => {
    const file = [line(10), line(11, { version: 'x' })].join('\n');
    const first = await parse(await bulk(file, { 'idempotency-key': 'upload-1' }));
    const replay = await bulk(file, { 'idempotency-key': 'upload-1' });
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    const replayed = await parse(replay);
    expect(replayed.at(-1)).toEqual(first.at(-1));
    expect(replayed.filter((a) => a.status === 'rejected')).toEqual(first.filter((a) => a.status === 'rejected'));
    const other = await bulk(line(12), { 'idempotency-key': 'upload-1' });
    expect(other.status).toBe(409);
  });

  it('keeps every committed chunk when the connection drops mid-file, and a retry is safe', async () => {
    const lines = Array.from({ length: 6000 }, (_, i) => line(1000 + i));
    const half = `${lines.slice(0, 4500).join('\n')}\n`;
    await new Promise<void>((resolve) => {
      const req = httpRequest(`${api.base}/v1/records:bulk`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-ndjson' },
      });
      req.on('error', () => undefined);
      req.on('close', () => resolve());
      req.write(half, () => setTimeout(() => req.destroy(), 500)); // the client dies mid-file
    });
    await new Promise((r) => setTimeout(r, 300));
    const afterDrop = (await (
      await fetch(`${api.base}/v1/records?limit=1000&after=b-1`, { headers: { authorization: `Bearer ${token}` } })
    ).json()) as {
      items: unknown[];
    };
    expect(afterDrop.items.length).toBeGreaterThan(0); // committed chunks (2,000 each) survived
    const retry = await parse(await bulk(lines.join('\n')));
    const summary = retry.at(-1)!.summary as Record<string, number>;
    expect(summary.rejected).toBe(0);
    expect(summary.accepted + summary.unchanged).toBe(6000);
    expect(summary.unchanged).toBeGreaterThanOrEqual(2000);
  }, 30_000);

  it('accepts a FHIR Patient and answers FHIR errors as OperationOutcome', async () => {
    const patient = {
      resourceType: 'Patient',
      id: 'fhir-1',
      meta: { versionId: '1' },
      identifier: [{ system: 'https://fhir.nhs.uk/Id/nhs-number', value: '9434765918' }],
      name: [{ use: 'official', family: 'Okafor', given: ['Amelia'] }],
      birthDate: '2014-03-09',
    };
    const put = (body: unknown) =>
      fetch(`${api.base}/v1/fhir/Patient/fhir-1`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/fhir+json' },
        body: JSON.stringify(body),
      });
    const ok = await put(patient);
    expect(ok.status).toBe(200);
    const outcome = (await ok.json()) as { resourceType: string; issue: { severity: string; expression?: string[] }[] };
    expect(outcome.resourceType).toBe('OperationOutcome');
    expect(outcome.issue).toContainEqual(
      expect.objectContaining({ severity: 'warning', expression: ['Patient.identifier[0].value'] }),
    );
    const bad = await put({ ...patient, birthDate: '2014-02-30', meta: { versionId: '2' } });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({
      resourceType: 'OperationOutcome',
      issue: [{ severity: 'error', expression: ['Patient.birthDate'] }],
    });
    const stale = await put({ ...patient, meta: { versionId: '0' } });
    expect(stale.status).toBe(400);
    const unauthenticated = await fetch(`${api.base}/v1/fhir/Patient/fhir-1`, { method: 'PUT' });
    expect(unauthenticated.status).toBe(401);
    expect(await unauthenticated.json()).toMatchObject({ resourceType: 'OperationOutcome' });
  });
});

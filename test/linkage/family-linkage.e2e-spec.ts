import { randomBytes } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { createWorker } from '../../apps/worker/src/bootstrap.js';
import { createTestDatabase, registerAgencyClient, testConfig, type TestDatabase } from '@joinedup/testing';
import type { RunView } from '@joinedup/linkage-service';
import { jsonClient, staffMember, type Json } from '../support/http.js';
import { startApi, type RunningApi } from '../support/start-api.js';

const CSC = 'northmoor-csc';
const HEALTH = 'northmoor-health';
const DAY = 86_400_000;
const iso = (offsetDays: number) => new Date(Date.now() + offsetDays * DAY).toISOString();
interface ExportLine {
  agency: string;
  externalId: string;
  personId: string | null;
  familyId: string | null;
}

/**
 * Two agencies send records about one family, each with the errors agencies make; the broker links
 * them into one family with the right persons only once an agreement allows identity matching, and
 * explains why.
 */
describe('linkage end to end: one family from two agencies', () => {
  let db: TestDatabase;
  let api: RunningApi;
  let worker: INestApplication;
  let igCsc: string;
  let igHealth: string;
  const prefix = `test:${randomBytes(6).toString('hex')}`;

  const call = (token: string, method: string, path: string, body?: unknown) =>
    jsonClient(api.base)(token, method, path, body);

  const person = (agencyId: string, name: string, roles: string[]) =>
    staffMember(api.base, api.adminToken, agencyId, name, roles);

  async function exported(): Promise<ExportLine[]> {
    const response = await fetch(`${api.base}/v1/admin/linkage/export`, {
      headers: { authorization: `Bearer ${igCsc}` },
    });
    expect(response.status).toBe(200);
    const text = await response.text();
    return text
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as ExportLine);
  }

  /** Polls the export until `ready` holds (the worker links asynchronously, from the outbox). */
  async function until(ready: (lines: ExportLine[]) => boolean, ms = 20_000): Promise<ExportLine[]> {
    const deadline = Date.now() + ms;
    let lines = await exported();
    while (!ready(lines) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 250));
      lines = await exported();
    }
    return lines;
  }

  beforeAll(async () => {
    db = await createTestDatabase();
    api = await startApi(db, { REDIS_PREFIX: prefix });
    worker = await createWorker(testConfig(db, { REDIS_PREFIX: prefix }));
    await worker.init();
    const csc = await (
      await registerAgencyClient(api.base, api.adminToken, { agencyId: CSC, sector: 'children-social-care' })
    ).getToken();
    const health = await (
      await registerAgencyClient(api.base, api.adminToken, { agencyId: HEALTH, sector: 'health' })
    ).getToken();
    igCsc = await person(CSC, 'ig-csc', ['ig-officer']);
    igHealth = await person(HEALTH, 'ig-health', ['ig-officer']);
    const address = (line: string) => [{ lines: [line], locality: 'Northmoor', postcode: 'NM1 4AP' }];
    const records: [string, Json][] = [
      // Children's services: mother and child, one household.
      [
        csc,
        {
          externalId: 'c-mum',
          version: 1,
          name: { given: 'Amelia', family: 'Okafor' },
          birthDate: '1988-05-02',
          sex: 'female',
          addresses: address('12 Mill Lane'),
          household: { reference: 'HH-1', role: 'parent' },
        },
      ],
      [
        csc,
        {
          externalId: 'c-child',
          version: 1,
          name: { given: 'Jayden', family: 'Okafor' },
          birthDate: '2015-03-19',
          sex: 'male',
          identifiers: [{ system: 'nhs-number', value: '9434765919' }],
          addresses: address('12 Mill Lane'),
          household: { reference: 'HH-1', role: 'child' },
        },
      ],
      // Health: a nickname and day/month swapped for the mother, a typo for the child, "Ln" for "Lane".
      [
        health,
        {
          externalId: 'h-1001',
          version: 1,
          name: { given: 'Amy', family: 'Okafor' },
          birthDate: '1988-02-05',
          sex: 'female',
          addresses: address('12 Mill Ln'),
          household: { reference: 'GP-77', role: 'parent' },
        },
      ],
      [
        health,
        {
          externalId: 'h-1002',
          version: 1,
          name: { given: 'Jaden', family: 'Okafor' },
          birthDate: '2015-03-19',
          sex: 'male',
          identifiers: [{ system: 'nhs-number', value: '9434765919' }],
          addresses: address('12 Mill Ln'),
          household: { reference: 'GP-77', role: 'child' },
        },
      ],
    ];
    for (const [token, record] of records) {
      const put = await call(token, 'PUT', `/v1/records/${record.externalId as string}`, record);
      expect(put.status).toBe(200);
    }
  }, 90_000);

  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await db?.drop();
  });

  it('without an agreement, each agency’s records stay apart', async () => {
    const lines = await until((ls) => ls.length === 4 && ls.every((l) => l.personId));
    const personsOf = (agency: string) => new Set(lines.filter((l) => l.agency === agency).map((l) => l.personId));
    expect(personsOf(CSC).size).toBe(2);
    const shared = [...personsOf(CSC)].filter((p) => personsOf(HEALTH).has(p));
    expect(shared).toEqual([]);
    const families = new Set(lines.map((l) => l.familyId));
    expect(families.size).toBe(2);
  });

  it('once an agreement allows identity matching, the export shows one family with the right persons, explained', async () => {
    const draft = await call(igCsc, 'POST', '/v1/governance/agreements', {
      title: 'Identity matching for early help',
      parties: [CSC, HEALTH],
      purposes: ['identity-matching'],
      flows: [
        { from: CSC, to: HEALTH, categories: ['identity'] },
        { from: HEALTH, to: CSC, categories: ['identity'] },
      ],
      lawfulBasis: { article6: 'public-task', gateway: 'Children Act 2004 s10' },
      consentRule: 'not-required',
      validFrom: iso(-1),
      validTo: iso(365),
      reviewDate: iso(180),
      dpiaReference: 'DPIA-2026-009',
    });
    expect(draft.status).toBe(201);
    const id = draft.body.id as string;
    await call(igCsc, 'POST', `/v1/governance/agreements/${id}/submit`);
    await call(igHealth, 'POST', `/v1/governance/agreements/${id}/approve`);
    expect((await call(igCsc, 'POST', `/v1/governance/agreements/${id}/activate`)).body).toMatchObject({
      status: 'active',
    });

    // The worker sees the new agreement and forms the links it now allows, within seconds.
    const started = Date.now();
    await until((ls) => new Set(ls.map((l) => l.personId)).size === 2, 5000);
    expect(Date.now() - started).toBeLessThan(5000);

    const lines = await exported();
    const by = (externalId: string) => lines.find((l) => l.externalId === externalId)!;
    expect(by('c-mum').personId).toBe(by('h-1001').personId);
    expect(by('c-child').personId).toBe(by('h-1002').personId);
    expect(by('c-mum').personId).not.toBe(by('c-child').personId);
    expect(new Set(lines.map((l) => l.familyId)).size).toBe(1);

    const mother = await call(igCsc, 'GET', `/v1/linkage/persons/${by('c-mum').personId!}`);
    expect(mother.status).toBe(200);
    const [link] = mother.body.links as { explanation: string; comparisons: { comparison: string }[] }[];
    expect(link!.explanation).toMatch(/nickname/);
    expect(link!.explanation).toMatch(/day and month swapped/);
    expect(link!.explanation).toMatch(/allowed by an active agreement/);
    expect(link!.comparisons.map((c) => c.comparison)).toEqual(expect.arrayContaining(['given', 'dob', 'home']));
    expect(JSON.stringify(mother.body)).not.toMatch(/Amelia|Okafor|1988/);
  });

  /** Follows a batch re-link run (the worker scores its partitions, then merges) until it is done. */
  async function finished(runId: string): Promise<RunView> {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const run = await call(igCsc, 'GET', `/v1/admin/linkage/runs/${runId}`);
      expect(run.status).toBe(200);
      const view = run.body as unknown as RunView;
      if (view.status === 'done' || view.status === 'failed' || Date.now() > deadline) return view;
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  it('a proposed model is measured by a dry run that changes nothing; a re-link with the published model gives the same answer; publishing applies the proposal', async () => {
    const before = await exported();
    const proposed = await call(igCsc, 'POST', '/v1/admin/linkage/models', {
      link: 0.95,
      review: 0.6,
      reason: 'stricter after the spring audit',
    });
    expect(proposed.status).toBe(201);
    expect(proposed.body).toMatchObject({ status: 'proposed', thresholds: { link: 0.95, review: 0.6 } });
    const version = proposed.body.version as string;
    const preview = await finished((proposed.body.preview as { id: string }).id);
    expect(preview).toMatchObject({
      status: 'done',
      dryRun: true,
      diff: { applied: false, records: 4, modelVersion: version },
    });
    expect(await exported()).toEqual(before);

    const queued = await call(igCsc, 'POST', '/v1/admin/linkage/relink', { dryRun: false, partitions: 3 });
    expect(queued.status).toBe(202);
    const same = await finished(queued.body.id as string);
    expect(same.diff).toMatchObject({
      applied: true,
      linksFormed: 0,
      linksBroken: 0,
      personsMerged: 0,
      personsSplit: 0,
    });
    expect(same.scored.map((s) => s.partition)).toEqual([0, 1, 2]);
    expect(await exported()).toEqual(before);

    const publish = await call(igCsc, 'POST', `/v1/admin/linkage/models/${encodeURIComponent(version)}/publish`);
    expect(publish.status).toBe(202);
    expect((await finished(publish.body.id as string)).diff).toMatchObject({ ...preview.diff!, applied: true });
    const models = await call(igCsc, 'GET', '/v1/admin/linkage/models');
    expect(models.body.published).toBe(version);
    expect((models.body.versions as Json[])[0]).toMatchObject({
      version,
      status: 'published',
      publishRunId: publish.body.id,
    });
    const again = await call(igCsc, 'POST', `/v1/admin/linkage/models/${encodeURIComponent(version)}/publish`);
    expect(again.status).toBe(409);
  });
});

import { randomBytes } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import pg from 'pg';
import { createWorker } from '../../apps/worker/src/bootstrap.js';
import { createTestDatabase, registerAgencyClient, testConfig, type TestDatabase } from '@joinedup/testing';
import { jsonClient, staffMember } from '../support/http.js';
import { startApi, type RunningApi } from '../support/start-api.js';
import { WebhookReceiver } from '../support/webhook-receiver.js';

const TYPES = ['case.opened', 'case.updated', 'case.closed', 'offer.made', 'lead.assigned'];

/**
 * Delivery as receivers behave: failing then recovering, refusing, gone, or behind a private address;
 * and the inbox workers read. Notifications are written the way the case service writes them: a row and
 * its outbox row in one transaction.
 */
describe('webhook delivery and the inbox', () => {
  let db: TestDatabase;
  let api: RunningApi;
  let worker: INestApplication;
  let owner: pg.Client;
  const prefix = `test:${randomBytes(6).toString('hex')}`;
  const receivers: Record<string, WebhookReceiver> = {};
  const hooks: Record<string, string> = {};
  const people: Record<string, string> = {};
  const call = (token: string, method: string, path: string, body?: unknown) =>
    jsonClient(api.base)(token, method, path, body);

  async function notify(agency: string, count: number, personId: string | null = null): Promise<string[]> {
    const { rows } = await owner.query<{ id: string }>(
      `WITH n AS (INSERT INTO notification (agency_id, person_id, case_id, type, payload)
         SELECT $1, $2::uuid, gen_random_uuid(), 'case.updated', jsonb_build_object('n', i) FROM generate_series(1, $3) i
         RETURNING id, agency_id),
       o AS (INSERT INTO outbox_event (topic, agency_id, payload)
         SELECT 'notification.created', agency_id, jsonb_build_object('notificationId', id::text, 'correlationId', 't') FROM n)
       SELECT id FROM n`,
      [agency, personId, count],
    );
    return rows.map((r) => r.id);
  }
  async function until(what: string, ok: () => Promise<boolean> | boolean, ms = 30_000): Promise<void> {
    const deadline = Date.now() + ms;
    while (!(await ok())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  const deliveries = async (agency: string) =>
    (
      await owner.query<{ id: string; status: string; attempts: number; dead_reason: string | null }>(
        `SELECT id, status, attempts, dead_reason FROM webhook_delivery WHERE agency_id = $1`,
        [agency],
      )
    ).rows;

  beforeAll(async () => {
    db = await createTestDatabase();
    owner = new pg.Client({ connectionString: db.ownerUrl });
    await owner.connect();
    api = await startApi(db, { REDIS_PREFIX: prefix });
    worker = await createWorker(testConfig(db, { REDIS_PREFIX: prefix }));
    await worker.init();
    for (const agency of ['flaky', 'refuses', 'gone', 'private']) {
      await registerAgencyClient(api.base, api.adminToken, { agencyId: agency, sector: 'voluntary' });
      const receiver = new WebhookReceiver();
      await receiver.start();
      receivers[agency] = receiver;
      const url = agency === 'private' ? 'https://10.11.12.13/hooks' : receiver.url;
      const hook = await call(api.adminToken, 'POST', `/v1/admin/agencies/${agency}/webhooks`, {
        url,
        eventTypes: TYPES,
      });
      expect(hook.status).toBe(201);
      receiver.secret = hook.body.secret as string;
      hooks[agency] = hook.body.id as string;
    }
    people.ada = await staffMember(api.base, api.adminToken, 'flaky', 'ada', ['caseworker']);
    people.ben = await staffMember(api.base, api.adminToken, 'flaky', 'ben', ['caseworker']);
    people.admin = await staffMember(api.base, api.adminToken, 'refuses', 'rita', ['agency-admin']);
  }, 60_000);

  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await owner?.end();
    for (const r of Object.values(receivers)) await r.stop();
    await db?.drop();
  });

  it('a receiver answering 500 and then 429 with Retry-After gets every notification once in effect', async () => {
    const flaky = receivers.flaky!;
    flaky.answer = ({ attempt }) =>
      attempt < 2
        ? { status: 500 }
        : attempt === 2
          ? { status: 429, headers: { 'retry-after': '1' } }
          : { status: 204 };
    const ids = await notify('flaky', 20);
    await flaky.until(ids.length);
    expect(flaky.effects.size).toBe(20);
    expect(flaky.duplicates).toBe(0);
    expect(flaky.badSignatures).toBe(0);
    expect(flaky.requests).toBe(80); // four tries each: 500, 500, 429, 204
    await until('rows delivered', async () => (await deliveries('flaky')).every((d) => d.status === 'delivered'));
    expect((await deliveries('flaky')).map((d) => d.attempts)).toEqual(Array(20).fill(4));
  });

  it('a 400 is dead at once with its reason; an admin lists and replays it, and it is delivered once', async () => {
    const refuses = receivers.refuses!;
    refuses.answer = () => ({ status: 400 });
    await notify('refuses', 1);
    await until('dead', async () => (await deliveries('refuses'))[0]?.status === 'dead');
    const [dead] = await deliveries('refuses');
    expect(dead!.attempts).toBe(1);
    expect(dead!.dead_reason).toMatch(/refused the notification with 400/);
    const listed = await call(people.admin!, 'GET', '/v1/admin/dead-letters');
    expect(listed.status).toBe(200);
    expect(listed.body.items).toEqual([
      expect.objectContaining({ id: dead!.id, reason: dead!.dead_reason, lastStatus: 400 }),
    ]);
    // An agency admin's filter cannot reach another agency's dead letters: still only its own.
    expect((await call(people.admin!, 'GET', '/v1/admin/dead-letters?agency=flaky')).body.items).toHaveLength(1);
    refuses.answer = () => ({ status: 200 });
    expect((await call(people.admin!, 'POST', `/v1/admin/dead-letters/${dead!.id}/replay`)).status).toBe(200);
    await refuses.until(1);
    expect(refuses.effects.size).toBe(1);
    await until('delivered', async () => (await deliveries('refuses'))[0]?.status === 'delivered');
    expect((await call(people.admin!, 'GET', '/v1/admin/dead-letters')).body.items).toEqual([]);
  });

  it('410 Gone disables the endpoint; later notifications are not sent to it', async () => {
    receivers.gone!.answer = () => ({ status: 410 });
    await notify('gone', 1);
    await until('dead', async () => (await deliveries('gone'))[0]?.status === 'dead');
    const listed = await call(api.adminToken, 'GET', '/v1/admin/agencies/gone/webhooks');
    expect(listed.body).toEqual([expect.objectContaining({ id: hooks.gone, enabled: false })]);
    await notify('gone', 1);
    await new Promise((r) => setTimeout(r, 1000));
    expect(await deliveries('gone')).toHaveLength(1);
    expect(receivers.gone!.requests).toBe(1);
  });

  it('a URL that resolves to a private address is refused, never called', async () => {
    await notify('private', 1);
    await until('dead', async () => (await deliveries('private'))[0]?.status === 'dead');
    expect((await deliveries('private'))[0]!.dead_reason).toMatch(/webhook URL refused: .*private/);
  });

  it('the queue dashboard is for platform admins only', async () => {
    const page = await fetch(`${api.base}/admin/queues`, { headers: { authorization: `Bearer ${api.adminToken}` } });
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/<div id="root">/);
    const queues = await fetch(`${api.base}/admin/queues/api/queues`, {
      headers: { authorization: `Bearer ${api.adminToken}` },
    });
    const names = ((await queues.json()) as { queues: { name: string }[] }).queues.map((q) => q.name);
    expect(names).toEqual(expect.arrayContaining(['delivery', 'coordination', 'linkage']));
    expect(
      (await fetch(`${api.base}/admin/queues`, { headers: { authorization: `Bearer ${people.ada!}` } })).status,
    ).toBe(403);
    expect((await fetch(`${api.base}/admin/queues`)).status).toBe(401);
  });

  it('a worker’s inbox lists their notifications only, newest first, read and unread', async () => {
    const [adaId] = (await owner.query<{ id: string }>(`SELECT id FROM person WHERE staff_ref = 'ada'`)).rows.map(
      (r) => r.id,
    );
    const ids = await notify('flaky', 3, adaId);
    await until('released', async () => {
      const inbox = await call(people.ada!, 'GET', '/v1/inbox');
      return (inbox.body.items as unknown[]).length === 3;
    });
    const inbox = await call(people.ada!, 'GET', '/v1/inbox?limit=2');
    expect((inbox.body.items as { id: string }[]).map((i) => i.id).every((id) => ids.includes(id))).toBe(true);
    expect(inbox.body.nextCursor).toEqual(expect.any(String));
    const rest = await call(people.ada!, 'GET', `/v1/inbox?limit=2&cursor=${inbox.body.nextCursor as string}`);
    expect(rest.body.items).toHaveLength(1);
    expect((await call(people.ada!, 'POST', `/v1/inbox/${ids[0]!}/read`)).body).toMatchObject({
      readAt: expect.any(String),
    });
    expect((await call(people.ada!, 'GET', '/v1/inbox?unread=true')).body.items).toHaveLength(2);
    expect((await call(people.ben!, 'GET', '/v1/inbox')).body.items).toEqual([]);
    expect((await call(people.ben!, 'POST', `/v1/inbox/${ids[0]!}/read`)).status).toBe(404);
  });
});

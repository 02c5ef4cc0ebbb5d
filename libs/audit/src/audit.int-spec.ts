import { exportJWK, generateKeyPair } from 'jose';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { fixedClock } from '@joinedup/core';
import { createDataSource, withAgencyScope, withSystemScope } from '@joinedup/persistence';
import { createTestDatabase, type TestDatabase } from '@joinedup/testing';
import {
  auditHash,
  AuditSequencer,
  AuditVerifier,
  AuditWriter,
  createCheckpoint,
  exportAuditLines,
  readAuditJwks,
  readEvents,
  verifyAuditExport,
  verifyCheckpoint,
  type AuditEventInput,
  type CheckpointSigner,
} from '@joinedup/audit';

const writer = new AuditWriter();
const clock = fixedClock('2026-11-01T09:00:00.000Z');

function input(i: number, agency = 'agency-a'): AuditEventInput {
  // Every tenth is a system event with nothing optional, so nulls and empty arrays round-trip too.
  if (i % 10 === 1)
    return {
      type: 'agreement-activated',
      actor: { kind: 'system', id: 'worker' },
      at: new Date(Date.UTC(2026, 10, 1, 9) + i * 1000),
    };
  return {
    type: 'disclosure',
    actor: { kind: 'agency-client', id: `client-${agency}`, agency },
    agencyId: agency,
    purpose: 'case-coordination',
    subjects: [`record-${i}`, `person-${i % 7}`],
    decision: i % 5 === 0 ? 'deny' : 'allow',
    agreement: { id: 'agreement-1', version: 2 },
    details: { fields: ['name', 'dateOfBirth'], i, nested: { z: 1, a: [1, 2.5, null] } },
    at: new Date(Date.UTC(2026, 10, 1, 9) + i * 1000),
  };
}

async function addBrokerKey(dataSource: DataSource): Promise<CheckpointSigner> {
  const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
  const kid = `broker-test-${Math.random().toString(36).slice(2)}`;
  const [publicJwk, privateJwk] = [await exportJWK(publicKey), await exportJWK(privateKey)];
  await withSystemScope(dataSource, (manager) =>
    manager.query(
      `INSERT INTO broker_signing_key (kid, alg, public_jwk, private_jwk, status) VALUES ($1, 'ES256', $2, $3, 'active')`,
      [kid, publicJwk, privateJwk],
    ),
  );
  return { signingKey: async () => ({ kid, key: privateKey }) };
}

/** A fresh database with `count` events appended through the writer, as the app role, under agency scope. */
async function seeded(count: number): Promise<{ db: TestDatabase; dataSource: DataSource; signer: CheckpointSigner }> {
  const db = await createTestDatabase();
  const dataSource = createDataSource(db.appUrl);
  await dataSource.initialize();
  const signer = await addBrokerKey(dataSource);
  for (let i = 1; i <= count; i += 10) {
    // Singles and batches mixed, each in the transaction of the (imagined) change it records.
    await withAgencyScope(dataSource, 'agency-a', (manager) => writer.append(manager, input(i)));
    const batch = Array.from({ length: Math.min(9, count - i) }, (_, k) => input(i + 1 + k));
    await withAgencyScope(dataSource, 'agency-a', (manager) => writer.appendMany(manager, batch));
  }
  return { db, dataSource, signer };
}

async function asOwner<T>(db: TestDatabase, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: db.ownerUrl });
  await client.connect();
  try {
    // A superuser can switch ordinary triggers off for the session: exactly the tampering the chain detects.
    await client.query(`SET session_replication_role = replica`);
    return await work(client);
  } finally {
    await client.end();
  }
}

async function exported(dataSource: DataSource): Promise<string[]> {
  const lines: string[] = [];
  for await (const line of exportAuditLines(dataSource, { exportedAt: clock.now(), pageSize: 7 })) lines.push(line);
  return lines;
}

describe('audit chain on PostgreSQL', () => {
  let db: TestDatabase;
  let dataSource: DataSource;
  let signer: CheckpointSigner;
  beforeAll(async () => {
    ({ db, dataSource, signer } = await seeded(50));
  });
  afterAll(async () => {
    await dataSource.destroy();
    await db.drop();
  });

  it('appends 50 events with seq 1..50 that verify, page by page', async () => {
    const seqs: number[] = [];
    for await (const event of readEvents(dataSource, { pageSize: 7 })) seqs.push(event.seq);
    expect(seqs).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    const result = await new AuditVerifier(dataSource).verify({ pageSize: 7 });
    expect(result).toMatchObject({
      ok: true,
      checked: 50,
      head: { seq: 50 },
      checkpoints: { verified: 0, latest: null },
    });
  });

  it('signs checkpoints of the head that verify with the broker keys and no other', async () => {
    const created = await createCheckpoint(dataSource, signer, clock);
    expect(created).toMatchObject({ status: 'created', checkpoint: { seq: 50 } });
    expect(await createCheckpoint(dataSource, signer, clock)).toMatchObject({ status: 'unchanged' });
    if (created.status !== 'created') throw new Error('no checkpoint');
    const jwks = await readAuditJwks(dataSource);
    expect(await verifyCheckpoint(created.checkpoint.jws, jwks)).toMatchObject({
      seq: 50,
      hash: created.checkpoint.hash,
    });
    const other = await exportJWK((await generateKeyPair('ES256', { extractable: true })).publicKey);
    const kid = created.checkpoint.kid;
    await expect(verifyCheckpoint(created.checkpoint.jws, { keys: [{ ...other, kid, alg: 'ES256' }] })).rejects.toThrow(
      /signature does not verify/,
    );
    const result = await new AuditVerifier(dataSource).verify();
    expect(result).toMatchObject({ ok: true, checked: 50, checkpoints: { verified: 1, latest: { seq: 50, kid } } });
  });

  it('exports NDJSON that verifies offline, and fails when a line is edited', async () => {
    const lines = await exported(dataSource);
    expect(JSON.parse(lines[0]!)).toMatchObject({ kind: 'header', head: { seq: 50 } });
    expect(await verifyAuditExport(lines)).toMatchObject({ ok: true, checked: 50, checkpoints: { verified: 1 } });
    const edited = [...lines];
    edited[20] = edited[20]!.replace('"decision":"allow"', '"decision":"deny"');
    const seq = (JSON.parse(edited[20]!) as { seq: number }).seq;
    expect(await verifyAuditExport(edited)).toMatchObject({ ok: false, firstBroken: { seq, reason: 'edited' } });
    expect(await verifyAuditExport(lines.slice(0, -3))).toMatchObject({
      firstBroken: { seq: 48, reason: 'truncated' },
    });
  });

  it('rolls the audit event back with the change it records, and needs a transaction', async () => {
    await expect(
      withAgencyScope(dataSource, 'agency-a', async (manager) => {
        await writer.append(manager, input(999));
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect(await dataSource.query(`SELECT max(seq)::int AS head FROM audit_event`)).toEqual([{ head: 50 }]);
    await expect(writer.append(dataSource.manager, input(1))).rejects.toThrow(/inside the transaction/);
    await expect(
      withAgencyScope(dataSource, 'agency-a', (m) => writer.append(m, { ...input(1), subjects: ['Ada Okafor'] })),
    ).rejects.toThrow(/subjects must be ids/);
  });

  it('keeps checkpoints append-only: no UPDATE or DELETE by the app role, and none by the owner', async () => {
    await expect(dataSource.query(`UPDATE audit_checkpoint SET seq = 1`)).rejects.toThrow(/permission denied/);
    await expect(dataSource.query(`DELETE FROM audit_checkpoint`)).rejects.toThrow(/permission denied/);
    const owner = new pg.Client({ connectionString: db.ownerUrl });
    await owner.connect();
    try {
      await expect(owner.query(`DELETE FROM audit_checkpoint`)).rejects.toThrow(/append-only: DELETE refused/);
    } finally {
      await owner.end();
    }
  });

  it('keeps the chain valid under concurrent appends from two connections', async () => {
    const second = createDataSource(db.appUrl);
    await second.initialize();
    try {
      const jobs = Array.from({ length: 40 }, (_, i) => {
        const ds = i % 2 === 0 ? dataSource : second;
        const agency = i % 2 === 0 ? 'agency-a' : 'agency-b';
        return withAgencyScope(ds, agency, async (manager): Promise<unknown> =>
          i % 4 === 3
            ? writer.appendMany(manager, [input(100 + i, agency), input(200 + i, agency)])
            : writer.append(manager, input(100 + i, agency)),
        );
      });
      await Promise.all(jobs);
    } finally {
      await second.destroy();
    }
    const result = await new AuditVerifier(dataSource).verify({ pageSize: 16 });
    expect(result).toMatchObject({ ok: true, checked: 100, head: { seq: 100 } });
  });

  it('chains at commit: the caller sees its event in the chain once its transaction resolves', async () => {
    const id = '7c6c7e52-5a43-4b8e-9d51-3f0e8e1c0a11';
    await withAgencyScope(dataSource, 'agency-a', (manager) => writer.append(manager, { ...input(300), id }));
    const [row] = await dataSource.query(`SELECT seq::int AS seq FROM audit_event WHERE id = $1`, [id]);
    expect(row).toEqual({ seq: 101 });
    expect(await dataSource.query(`SELECT count(*)::int AS n FROM audit_pending`)).toEqual([{ n: 0 }]);
  });

  it('an event left pending by a crash between commit and flush is chained by the next flush', async () => {
    const owner = new pg.Client({ connectionString: db.ownerUrl });
    await owner.connect();
    try {
      // What a process that died after its commit leaves behind: the event, recorded, not chained.
      await owner.query(
        `INSERT INTO audit_pending (event_id, at, type, actor, subjects, details)
         VALUES ('0b7f6f0e-8f5e-4a57-9d0b-2f1d5f0c7e21', now(), 'records.received', '{"kind":"system","id":"crashed"}', '{}', '{"n":1}')`,
      );
      expect(await AuditSequencer.of(dataSource).flush()).toBe(1);
    } finally {
      await owner.end();
    }
    const [row] = await dataSource.query(`SELECT seq::int AS seq, type FROM audit_event WHERE id = $1`, [
      '0b7f6f0e-8f5e-4a57-9d0b-2f1d5f0c7e21',
    ]);
    expect(row).toEqual({ seq: 102, type: 'records.received' });
    expect(await new AuditVerifier(dataSource).verify()).toMatchObject({ ok: true, checked: 102 });
  });

  it('a writer that need not wait for the chain commits while chaining is held up, and its event is chained after', async () => {
    const id = '5d0c2b1e-7f3a-4c61-8e2d-9a4b6c8d0e13';
    const owner = new pg.Client({ connectionString: db.ownerUrl });
    await owner.connect();
    try {
      // Another session holds the chain's lock: every flush waits for it.
      await owner.query(`SELECT pg_advisory_lock(hashtext('joinedup.audit_chain'))`);
      const committed = withAgencyScope(dataSource, 'agency-a', (manager) =>
        writer.appendMany(manager, [{ ...input(301), id }], { waitForChain: false }),
      ).then(() => 'committed' as const);
      let timer: NodeJS.Timeout | undefined;
      const held = new Promise<'held'>((resolve) => (timer = setTimeout(() => resolve('held'), 3000)));
      expect(await Promise.race([committed, held])).toBe('committed');
      clearTimeout(timer);
      expect(await dataSource.query(`SELECT count(*)::int AS n FROM audit_pending`)).toEqual([{ n: 1 }]);
      await owner.query(`SELECT pg_advisory_unlock(hashtext('joinedup.audit_chain'))`);
    } finally {
      await owner.end();
    }
    await AuditSequencer.of(dataSource).flush();
    const [row] = await dataSource.query(`SELECT seq::int AS seq FROM audit_event WHERE id = $1`, [id]);
    expect(row).toEqual({ seq: 103 });
  });
});

describe('audit chain tampered with by the database owner', () => {
  // [what, kind, tamper, expected break, whether a checkpoint was signed before the tampering]
  const cases: Array<
    [string, string, (owner: pg.Client) => Promise<unknown>, { seq: number; reason: string }, boolean]
  > = [
    [
      'an edited details field',
      'edited',
      (owner) => owner.query(`UPDATE audit_event SET details = details || '{"fields":["name"]}' WHERE seq = 17`),
      { seq: 17, reason: 'edited' },
      false,
    ],
    [
      'a deleted row',
      'removed',
      (owner) => owner.query(`DELETE FROM audit_event WHERE seq = 23`),
      { seq: 23, reason: 'removed' },
      false,
    ],
    [
      "two rows' seq swapped",
      'reordered',
      async (owner) => {
        await owner.query(`UPDATE audit_event SET seq = -31 WHERE seq = 31`);
        await owner.query(`UPDATE audit_event SET seq = 31 WHERE seq = 32`);
        await owner.query(`UPDATE audit_event SET seq = 32 WHERE seq = -31`);
      },
      { seq: 31, reason: 'reordered' },
      false,
    ],
    [
      'the last rows deleted after a checkpoint',
      'truncated',
      (owner) => owner.query(`DELETE FROM audit_event WHERE seq > 45`),
      { seq: 46, reason: 'truncated' },
      true,
    ],
    [
      'an edit whose hashes were all recomputed after a checkpoint',
      'rewritten',
      async (owner) => {
        const { rows } = await owner.query<{ seq: string }>(`SELECT seq FROM audit_event WHERE seq >= 10 ORDER BY seq`);
        let prevHash = ((await owner.query(`SELECT hash FROM audit_event WHERE seq = 9`)).rows[0] as { hash: string })
          .hash;
        await owner.query(`UPDATE audit_event SET subjects = '{record-x}' WHERE seq = 10`);
        const ds = { query: async (sql: string, params: unknown[]) => (await owner.query(sql, params)).rows };
        for (const { seq } of rows) {
          const [event] = await ds.query(`SELECT * FROM audit_event WHERE seq = $1`, [seq]);
          const fields = {
            ...(event as Record<string, unknown>),
            seq: Number(seq),
            at: (event.at as Date).toISOString(),
            agencyId: event.agency_id,
          } as unknown as Parameters<typeof auditHash>[1];
          const hash = auditHash(prevHash, fields);
          await owner.query(`UPDATE audit_event SET prev_hash = $1, hash = $2 WHERE seq = $3`, [prevHash, hash, seq]);
          prevHash = hash;
        }
      },
      { seq: 50, reason: 'rewritten' },
      true,
    ],
  ];

  it.each(cases)('names %s: %s', async (_name, _kind, tamper, expected, checkpointFirst) => {
    const { db, dataSource, signer } = await seeded(50);
    try {
      if (checkpointFirst)
        expect(await createCheckpoint(dataSource, signer, clock)).toMatchObject({ status: 'created' });
      await asOwner(db, tamper);
      const result = await new AuditVerifier(dataSource).verify({ pageSize: 8 });
      expect(result).toMatchObject({ ok: false, checked: expected.seq - 1, firstBroken: expected });
      expect(await verifyAuditExport(await exported(dataSource))).toMatchObject({ ok: false, firstBroken: expected });
      // The broker refuses to sign a broken chain.
      expect(await createCheckpoint(dataSource, signer, clock)).toMatchObject({ status: 'refused' });
    } finally {
      await dataSource.destroy();
      await db.drop();
    }
  });
});

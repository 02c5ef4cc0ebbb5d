import { UnrecoverableError } from 'bullmq';
import { exportJWK, generateKeyPair } from 'jose';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { AuditWriter, readCheckpoints, verifyCheckpoint, readAuditJwks } from '@joinedup/audit';
import { createDataSource, withSystemScope } from '@joinedup/persistence';
import { createTestDatabase, type TestDatabase } from '@joinedup/testing';
import { AuditCheckpointService } from './audit-checkpoint.service.js';

const writer = new AuditWriter();

async function appendEvents(dataSource: DataSource, count: number): Promise<void> {
  await dataSource.transaction((manager) =>
    writer.appendMany(
      manager,
      Array.from({ length: count }, (_, i) => ({
        type: 'test.event',
        actor: { kind: 'system' as const, id: 'int-spec' },
        at: new Date(Date.UTC(2026, 10, 1) + i),
      })),
    ),
  );
}

describe('audit.checkpoint (worker)', () => {
  let db: TestDatabase;
  let dataSource: DataSource;
  let service: AuditCheckpointService;
  beforeAll(async () => {
    db = await createTestDatabase();
    dataSource = createDataSource(db.appUrl);
    await dataSource.initialize();
    service = new AuditCheckpointService(dataSource);
  });
  afterAll(async () => {
    await dataSource.destroy();
    await db.drop();
  });

  it('skips while the api has not created the broker key, and while the chain is empty', async () => {
    expect(await service.run()).toBe('skipped: no broker signing key yet');
    const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
    await withSystemScope(dataSource, async (manager) =>
      manager.query(
        `INSERT INTO broker_signing_key (kid, alg, public_jwk, private_jwk, status) VALUES ('broker-int', 'ES256', $1, $2, 'active')`,
        [await exportJWK(publicKey), await exportJWK(privateKey)],
      ),
    );
    expect(await service.run()).toBe('skipped: the chain is empty');
  });

  it('signs the head with the broker key, once per head', async () => {
    await appendEvents(dataSource, 5);
    expect(await service.run()).toBe('created at seq 5');
    expect(await service.run()).toBe('skipped: head unchanged at seq 5');
    await appendEvents(dataSource, 3);
    expect(await service.run()).toBe('created at seq 8');
    const checkpoints = await readCheckpoints(dataSource);
    expect(checkpoints.map((c) => [c.seq, c.kid])).toEqual([
      [5, 'broker-int'],
      [8, 'broker-int'],
    ]);
    await expect(verifyCheckpoint(checkpoints[1]!.jws, await readAuditJwks(dataSource))).resolves.toMatchObject({
      seq: 8,
    });
  });

  it('refuses to sign a tampered chain, permanently for this run', async () => {
    await appendEvents(dataSource, 2);
    const owner = new pg.Client({ connectionString: db.ownerUrl });
    await owner.connect();
    try {
      await owner.query(`SET session_replication_role = replica`);
      await owner.query(`UPDATE audit_event SET type = 'edited' WHERE seq = 9`);
    } finally {
      await owner.end();
    }
    const run = service.run();
    await expect(run).rejects.toBeInstanceOf(UnrecoverableError);
    await expect(run).rejects.toThrow(/seq 9/);
    expect((await readCheckpoints(dataSource)).at(-1)!.seq).toBe(8);
  });
});

import type { JSONWebKeySet, JWK } from 'jose';
import type { EntityManager } from 'typeorm';
import { AUDIT_EVENT_COLUMNS, eventFromRow, type AuditEventRow } from './audit-event-row.js';
import type { ChainedAuditEvent, ChainHead } from './hash-chain.js';

/** A DataSource or an EntityManager: anything that runs a query. */
export type Queryable = Pick<EntityManager, 'query'>;

export interface StoredCheckpoint {
  seq: number;
  hash: string;
  at: string;
  kid: string;
  jws: string;
}

export const DEFAULT_PAGE_SIZE = 10_000;

/** The last event's seq and hash, or null for an empty chain. */
export async function readChainHead(db: Queryable): Promise<ChainHead | null> {
  const rows: Array<{ seq: string; hash: string }> = await db.query(
    `SELECT seq, hash FROM audit_event ORDER BY seq DESC LIMIT 1`,
  );
  return rows[0] ? { seq: Number(rows[0].seq), hash: rows[0].hash } : null;
}

/**
 * Events in seq order up to the head (as it is when reading starts, or `untilSeq`), a page at a time by
 * keyset on seq. Each page is the bounded range (after, after + pageSize]: seq has no gaps, so that is
 * one page of rows, and a bounded range is an index range scan whatever the table statistics say (an
 * open-ended `seq > $1 ... LIMIT` after a bulk load, before ANALYZE, was planned as a scan of the rest of
 * the table per page). A range with rows missing simply yields fewer; the chain check names the gap.
 */
export async function* readEvents(
  db: Queryable,
  options: { afterSeq?: number; untilSeq?: number; pageSize?: number } = {},
): AsyncGenerator<ChainedAuditEvent> {
  const pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
  const until = options.untilSeq ?? (await readChainHead(db))?.seq ?? 0;
  for (let after = options.afterSeq ?? 0; after < until; after += pageSize) {
    const rows: AuditEventRow[] = await db.query(
      `SELECT ${AUDIT_EVENT_COLUMNS} FROM audit_event WHERE seq > $1::bigint AND seq <= $2::bigint ORDER BY seq`,
      [after, Math.min(after + pageSize, until)],
    );
    for (const row of rows) yield eventFromRow(row);
  }
}

interface CheckpointRow {
  seq: string;
  hash: string;
  at: Date;
  kid: string;
  jws: string;
}

const checkpointOf = (row: CheckpointRow): StoredCheckpoint => ({
  seq: Number(row.seq),
  hash: row.hash,
  at: row.at.toISOString(),
  kid: row.kid,
  jws: row.jws,
});

export async function readLatestCheckpoint(db: Queryable): Promise<StoredCheckpoint | null> {
  const rows: CheckpointRow[] = await db.query(
    `SELECT seq, hash, at, kid, jws FROM audit_checkpoint ORDER BY seq DESC, at DESC LIMIT 1`,
  );
  return rows[0] ? checkpointOf(rows[0]) : null;
}

export async function readCheckpoints(db: Queryable): Promise<StoredCheckpoint[]> {
  const rows: CheckpointRow[] = await db.query(`SELECT seq, hash, at, kid, jws FROM audit_checkpoint ORDER BY seq, at`);
  return rows.map(checkpointOf);
}

export async function insertCheckpoint(db: Queryable, checkpoint: StoredCheckpoint): Promise<void> {
  await db.query(`INSERT INTO audit_checkpoint (seq, hash, at, kid, jws) VALUES ($1, $2, $3, $4, $5)`, [
    checkpoint.seq,
    checkpoint.hash,
    checkpoint.at,
    checkpoint.kid,
    checkpoint.jws,
  ]);
}

/**
 * Every broker public key, retired ones included: a checkpoint signed years ago must still verify.
 * (The token JWKS publishes only keys that still verify tokens.)
 */
export async function readAuditJwks(db: Queryable): Promise<JSONWebKeySet> {
  const rows: Array<{ kid: string; alg: string; public_jwk: JWK }> = await db.query(
    `SELECT kid, alg, public_jwk FROM broker_signing_key ORDER BY created_at`,
  );
  return { keys: rows.map((r) => ({ ...r.public_jwk, kid: r.kid, alg: r.alg, use: 'sig' })) };
}

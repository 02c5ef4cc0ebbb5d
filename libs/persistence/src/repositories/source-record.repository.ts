import type { DataSource, EntityManager } from 'typeorm';
import type { CanonicalRecord } from '@joinedup/core';
import type { SourceRecordStatus } from '../entities/source-record.entity.js';
import { AGENCY_SETTING, queryRows, withAgencyScope } from '../scope.js';
import { announceInBatches } from './outbox-batches.js';

export interface RecordWrite {
  externalId: string;
  version: number;
  contentHash: string;
  record: CanonicalRecord;
  invalidFields: string[];
}

export type WriteOutcome =
  | { externalId: string; status: 'created' | 'updated'; recordId: string; version: number }
  | { externalId: string; status: 'unchanged'; recordId: string; version: number }
  | { externalId: string; status: 'stale'; recordId: string; version: number; storedVersion: number };

export interface StoredRecord {
  id: string;
  externalId: string;
  version: number;
  status: SourceRecordStatus;
  record: CanonicalRecord | Record<string, never>;
  invalidFields: string[];
  updatedAt: Date;
}

interface ExistingRow {
  id: string;
  external_id: string;
  version: number;
  content_hash: string;
  status: SourceRecordStatus;
}

/** One caller's batch in a grouped write (`upsertParts`). */
export interface WritePart {
  agencyId: string;
  writes: RecordWrite[];
  correlationId: string;
}

/** A change to announce: its change-feed row and its outbox event (with the request that made it). */
interface Change {
  id: string;
  externalId: string;
  version: number;
  kind: 'created' | 'updated' | 'withdrawn';
  correlationId: string;
}

/** Runs last inside the transaction of an intake write, with its outcomes: the write's audit event. */
export type WithinWrite = (manager: EntityManager, outcomes: WriteOutcome[]) => Promise<unknown>;

/**
 * Source records of one agency. Every method takes the agency and runs under its row-level security
 * context: there is no unscoped finder. Each accepted change writes its change-feed row and its outbox
 * event in the same transaction.
 */
export class SourceRecordRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Creates or updates a batch of records in one transaction. An identical repeat is `unchanged`; an
   * older version, or the same version with other content, is `stale` and changes nothing.
   * External ids must be unique within one call (the caller splits repeats across calls).
   */
  async upsertBatch(
    agencyId: string,
    writes: RecordWrite[],
    correlationId: string,
    within?: WithinWrite,
  ): Promise<WriteOutcome[]> {
    if (writes.length === 0) return [];
    const [outcomes] = await this.upsertParts(
      [{ agencyId, writes, correlationId }],
      within ? (manager, [written]) => within(manager, written!) : undefined,
    );
    return outcomes!;
  }

  /**
   * Several callers' batches in one transaction and one commit (the api groups concurrent requests):
   * each agency's records are written under its own row-level security context, with one statement per
   * step for all of that agency's records, and each part's outbox events carry its own correlation id.
   * External ids must be unique within an agency across the parts. Answers each part's outcomes.
   */
  async upsertParts(
    parts: readonly WritePart[],
    within?: (manager: EntityManager, outcomes: WriteOutcome[][]) => Promise<unknown>,
  ): Promise<WriteOutcome[][]> {
    return this.dataSource.transaction(async (manager) => {
      const byAgency = new Map<string, { write: RecordWrite; correlationId: string }[]>();
      for (const part of parts) {
        const list = byAgency.get(part.agencyId) ?? byAgency.set(part.agencyId, []).get(part.agencyId)!;
        for (const write of part.writes) list.push({ write, correlationId: part.correlationId });
      }
      const outcomes = new Map<string, WriteOutcome>();
      for (const agencyId of [...byAgency.keys()].sort()) {
        await manager.query(`SELECT set_config('${AGENCY_SETTING}', $1, true)`, [agencyId]);
        for (const [externalId, outcome] of await this.writeAgency(manager, agencyId, byAgency.get(agencyId)!))
          outcomes.set(`${agencyId}/${externalId}`, outcome);
      }
      const result = parts.map((part) => part.writes.map((w) => outcomes.get(`${part.agencyId}/${w.externalId}`)!));
      if (within) await within(manager, result);
      return result;
    });
  }

  /** One agency's writes, its scope set: lock what exists, insert, update, announce. */
  private async writeAgency(
    manager: EntityManager,
    agencyId: string,
    writes: readonly { write: RecordWrite; correlationId: string }[],
  ): Promise<Map<string, WriteOutcome>> {
    const existing = new Map<string, ExistingRow>();
    const rows: ExistingRow[] = await manager.query(
      `SELECT id, external_id, version, content_hash, status FROM source_record
       WHERE agency_id = $1 AND external_id = ANY($2::text[]) FOR UPDATE`,
      [agencyId, writes.map((w) => w.write.externalId)],
    );
    for (const row of rows) existing.set(row.external_id, row);

    const outcomes = new Map<string, WriteOutcome>();
    const correlationOf = new Map(writes.map((w) => [w.write.externalId, w.correlationId]));
    const inserts: RecordWrite[] = [];
    const updates: RecordWrite[] = [];
    for (const { write } of writes) {
      const row = existing.get(write.externalId);
      if (!row) inserts.push(write);
      else if (row.status === 'active' && row.content_hash === write.contentHash) {
        outcomes.set(write.externalId, {
          externalId: write.externalId,
          status: 'unchanged',
          recordId: row.id,
          version: row.version,
        });
      } else if (write.version <= row.version) {
        outcomes.set(write.externalId, {
          externalId: write.externalId,
          status: 'stale',
          recordId: row.id,
          version: write.version,
          storedVersion: row.version,
        });
      } else updates.push(write);
    }

    const changed: (Change & { kind: 'created' | 'updated' })[] = [];
    if (inserts.length > 0) {
      const created: { id: string; external_id: string; version: number }[] = await manager.query(
        `INSERT INTO source_record (agency_id, external_id, version, content_hash, record, invalid_fields)
         SELECT $1, x.external_id, x.version, x.content_hash, x.record, x.invalid_fields
         FROM jsonb_to_recordset($2::jsonb) AS x(external_id text, version int, content_hash text, record jsonb, invalid_fields text[])
         RETURNING id, external_id, version`,
        [agencyId, JSON.stringify(inserts.map(toRow))],
      );
      for (const row of created)
        changed.push({
          id: row.id,
          externalId: row.external_id,
          version: row.version,
          kind: 'created',
          correlationId: correlationOf.get(row.external_id)!,
        });
    }
    if (updates.length > 0) {
      const updated: { id: string; external_id: string; version: number }[] = await queryRows(
        manager,
        `UPDATE source_record s SET version = x.version, content_hash = x.content_hash, record = x.record,
           invalid_fields = x.invalid_fields, updated_at = now(),
           -- A new version does not lift a subject's restriction.
           status = CASE WHEN s.status = 'restricted' THEN 'restricted' ELSE 'active' END,
           withdrawn_at = NULL
         FROM jsonb_to_recordset($2::jsonb) AS x(external_id text, version int, content_hash text, record jsonb, invalid_fields text[])
         WHERE s.agency_id = $1 AND s.external_id = x.external_id
         RETURNING s.id, s.external_id, s.version`,
        [agencyId, JSON.stringify(updates.map(toRow))],
      );
      for (const row of updated)
        changed.push({
          id: row.id,
          externalId: row.external_id,
          version: row.version,
          kind: 'updated',
          correlationId: correlationOf.get(row.external_id)!,
        });
    }
    for (const c of changed) {
      outcomes.set(c.externalId, { externalId: c.externalId, status: c.kind, recordId: c.id, version: c.version });
    }
    await this.announce(manager, agencyId, changed);
    return outcomes;
  }

  /** Withdraws a record: its content is emptied at once; the fact stays in the change feed. */
  async withdraw(
    agencyId: string,
    externalId: string,
    correlationId: string,
    within?: (manager: EntityManager) => Promise<unknown>,
  ): Promise<{ recordId: string; version: number } | null> {
    return withAgencyScope(this.dataSource, agencyId, async (manager) => {
      const rows = await queryRows<{ id: string; version: number }>(
        manager,
        `UPDATE source_record SET status = 'withdrawn', withdrawn_at = now(), record = '{}'::jsonb, content_hash = '',
           invalid_fields = '{}', updated_at = now()
         WHERE agency_id = $1 AND external_id = $2 AND status = 'active' RETURNING id, version`,
        [agencyId, externalId],
      );
      const row = rows[0];
      if (!row) return null;
      await this.announce(manager, agencyId, [
        { id: row.id, externalId, version: row.version, kind: 'withdrawn', correlationId },
      ]);
      if (within) await within(manager);
      return { recordId: row.id, version: row.version };
    });
  }

  async get(agencyId: string, externalId: string): Promise<StoredRecord | null> {
    return withAgencyScope(this.dataSource, agencyId, async (manager) => {
      const rows = await manager.query(
        `SELECT id, external_id, version, status, record, invalid_fields, updated_at FROM source_record
         WHERE agency_id = $1 AND external_id = $2`,
        [agencyId, externalId],
      );
      return rows[0] ? toStored(rows[0]) : null;
    });
  }

  /** Pages by external id (the cursor), so paging is stable while records change. */
  async list(agencyId: string, after: string | undefined, limit: number): Promise<StoredRecord[]> {
    return withAgencyScope(this.dataSource, agencyId, async (manager) => {
      const rows = await manager.query(
        `SELECT id, external_id, version, status, record, invalid_fields, updated_at FROM source_record
         WHERE agency_id = $1 AND external_id > $2 ORDER BY external_id LIMIT $3`,
        [agencyId, after ?? '', limit],
      );
      return rows.map(toStored);
    });
  }

  private async announce(manager: EntityManager, agencyId: string, changed: Change[]): Promise<void> {
    if (changed.length === 0) return;
    await manager.query(
      `INSERT INTO record_change (agency_id, record_id, external_id, kind, version)
       SELECT $1, x.id, x.external_id, x.kind, x.version
       FROM jsonb_to_recordset($2::jsonb) AS x(id uuid, external_id text, kind text, version int)`,
      [
        agencyId,
        JSON.stringify(changed.map((c) => ({ id: c.id, external_id: c.externalId, kind: c.kind, version: c.version }))),
      ],
    );
    await announceInBatches(
      manager,
      'record.changed',
      agencyId,
      { list: 'records', id: 'recordId' },
      changed.map((c) => ({ id: c.id, correlationId: c.correlationId })),
      { agencyId },
    );
  }
}

function toRow(w: RecordWrite): Record<string, unknown> {
  return {
    external_id: w.externalId,
    version: w.version,
    content_hash: w.contentHash,
    record: w.record,
    invalid_fields: w.invalidFields,
  };
}

function toStored(row: Record<string, unknown>): StoredRecord {
  return {
    id: row.id as string,
    externalId: row.external_id as string,
    version: row.version as number,
    status: row.status as SourceRecordStatus,
    record: row.record as CanonicalRecord,
    invalidFields: row.invalid_fields as string[],
    updatedAt: row.updated_at as Date,
  };
}

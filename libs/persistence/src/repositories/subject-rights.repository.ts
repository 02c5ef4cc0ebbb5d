import type { EntityManager } from 'typeorm';
import type { CanonicalRecord } from '@joinedup/core';
import { queryRows } from '../scope.js';

/** Who a subject rights request is about: one agency's record, or a linked person. */
export type SubjectRef = { record: { agency: string; externalId: string } } | { person: string };

export interface SubjectRecordRow {
  id: string;
  agencyId: string;
  externalId: string;
  version: number;
  status: 'active' | 'withdrawn' | 'restricted' | 'erased';
  record: CanonicalRecord | Record<string, never>;
  updatedAt: Date;
  withdrawnAt: Date | null;
}

/** Everything that names a person: their records, and the person ids linkage gave them. */
export interface ResolvedSubject {
  /** The live person (after merges); null when linkage has not placed the record, or is not installed. */
  personId: string | null;
  familyId: string | null;
  /** The live person id and every id merged into it: decisions made before a merge name the old ids. */
  personIds: string[];
  records: SubjectRecordRow[];
  /** Whether linkage tables exist in this database (checked with to_regclass). */
  linkage: boolean;
}

export interface DecisionRow {
  id: string;
  at: Date;
  purpose: string;
  fromAgency: string;
  toAgency: string;
  subjects: string[];
  requested: string[];
  permitted: string[];
  decision: 'allow' | 'deny';
  agreementId: string | null;
  agreementVersion: number | null;
  consentRef: string | null;
  reasons: string[];
  context: string;
}

export interface AuditEventRow {
  seq: string;
  id: string;
  at: Date;
  type: string;
  actor: { kind: string; id: string; agency?: string };
  agencyId: string | null;
  purpose: string | null;
  subjects: string[];
  decision: 'allow' | 'deny' | null;
  agreement: { id: string; version: number } | null;
  details: Record<string, unknown>;
}

export interface ConsentRow {
  id: string;
  subjectIds: string[];
  purpose: string;
  state: string;
  scope: string[] | null;
  agencyId: string;
  at: Date;
  expiresAt: Date | null;
  supersedes: string | null;
}

/** A record whose status a subject rights action changed. */
export interface ChangedRecord {
  id: string;
  agencyId: string;
  externalId: string;
  version: number;
}

const RECORD_COLUMNS = `s.id, s.agency_id AS "agencyId", s.external_id AS "externalId", s.version, s.status, s.record,
  s.updated_at AS "updatedAt", s.withdrawn_at AS "withdrawnAt"`;

/** Most rows of each kind one export carries; more is reported as truncated. */
export const SUBJECT_EXPORT_LIMIT = 5000;

/**
 * Reads and changes for subject access, erasure, restriction and retention. Every method runs in the
 * caller's transaction, which must be in the system scope: a person's data spans agencies. Callers
 * decide who may ask; this repository only finds and changes rows.
 */
export class SubjectRightsRepository {
  /** Whether the linkage tables exist (linkage may be installed after this code). */
  async hasLinkage(m: EntityManager): Promise<boolean> {
    const [row] = await m.query<{ ok: boolean }[]>(
      `SELECT to_regclass('linkage_record') IS NOT NULL AND to_regclass('linked_person') IS NOT NULL AS ok`,
    );
    return row?.ok === true;
  }

  /**
   * The person behind a record ref or a person id, and every record linked to them. Follows
   * linkage_record -> linked_person (and merges) when the linkage tables exist; otherwise, or while the
   * record is not linked, the subject is the one record. Null when nothing matches.
   */
  async resolve(m: EntityManager, ref: SubjectRef): Promise<ResolvedSubject | null> {
    const linkage = await this.hasLinkage(m);
    let start: SubjectRecordRow | null = null;
    let personId: string | null = null;
    if ('record' in ref) {
      const [row] = await m.query<SubjectRecordRow[]>(
        `SELECT ${RECORD_COLUMNS} FROM source_record s WHERE s.agency_id = $1 AND s.external_id = $2`,
        [ref.record.agency, ref.record.externalId],
      );
      if (!row) return null;
      start = row;
      if (linkage) {
        const [indexed] = await m.query<{ personId: string | null }[]>(
          `SELECT person_id AS "personId" FROM linkage_record WHERE source_record_id = $1`,
          [row.id],
        );
        personId = indexed?.personId ?? null;
      }
    } else {
      if (!linkage) return null;
      personId = ref.person;
    }
    let familyId: string | null = null;
    let personIds: string[] = [];
    let records: SubjectRecordRow[] = start ? [start] : [];
    if (personId !== null) {
      const [live] = await m.query<{ id: string; familyId: string | null }[]>(
        `WITH RECURSIVE up AS (
           SELECT id, merged_into, family_id, 0 AS depth FROM linked_person WHERE id = $1
           UNION ALL SELECT p.id, p.merged_into, p.family_id, up.depth + 1
           FROM linked_person p JOIN up ON p.id = up.merged_into WHERE up.depth < 50)
         SELECT id, family_id AS "familyId" FROM up ORDER BY depth DESC LIMIT 1`,
        [personId],
      );
      if (!live) return start ? { personId: null, familyId: null, personIds: [], records, linkage } : null;
      personId = live.id;
      familyId = live.familyId;
      const merged = await m.query<{ id: string }[]>(
        `WITH RECURSIVE down AS (
           SELECT id, 0 AS depth FROM linked_person WHERE id = $1
           UNION ALL SELECT p.id, down.depth + 1 FROM linked_person p JOIN down ON p.merged_into = down.id
           WHERE down.depth < 50)
         SELECT DISTINCT id FROM down`,
        [personId],
      );
      personIds = merged.map((r) => r.id).sort();
      const linked = await m.query<SubjectRecordRow[]>(
        `SELECT ${RECORD_COLUMNS} FROM linkage_record l JOIN source_record s ON s.id = l.source_record_id
         WHERE l.person_id = $1 ORDER BY s.agency_id, s.external_id`,
        [personId],
      );
      const seen = new Set(linked.map((r) => r.id));
      records = [...linked, ...records.filter((r) => !seen.has(r.id))];
    }
    return { personId, familyId, personIds, records, linkage };
  }

  /** Every id that names the subject in decisions and audit events: record refs, record ids, person ids. */
  static subjectIds(subject: ResolvedSubject): string[] {
    return [...subject.records.flatMap((r) => [`${r.agencyId}/${r.externalId}`, r.id]), ...subject.personIds];
  }

  async decisionsAbout(m: EntityManager, ids: readonly string[]): Promise<DecisionRow[]> {
    return m.query(
      `SELECT id, at, purpose, from_agency AS "fromAgency", to_agency AS "toAgency", subjects, requested, permitted,
              decision, agreement_id AS "agreementId", agreement_version AS "agreementVersion",
              consent_ref AS "consentRef", reasons, context
       FROM governance_decision WHERE subjects && $1::text[] ORDER BY at, id LIMIT $2`,
      [ids, SUBJECT_EXPORT_LIMIT + 1],
    );
  }

  async auditEventsAbout(m: EntityManager, ids: readonly string[]): Promise<AuditEventRow[]> {
    return m.query(
      `SELECT seq, id, at, type, actor, agency_id AS "agencyId", purpose, subjects, decision, agreement, details
       FROM audit_event WHERE subjects && $1::text[] ORDER BY seq LIMIT $2`,
      [ids, SUBJECT_EXPORT_LIMIT + 1],
    );
  }

  async consentsAbout(m: EntityManager, ids: readonly string[]): Promise<ConsentRow[]> {
    return m.query(
      `SELECT id, subject_ids AS "subjectIds", purpose, state, scope, agency_id AS "agencyId", at,
              expires_at AS "expiresAt", supersedes
       FROM consent_record WHERE subject_ids && $1::text[] ORDER BY at, id LIMIT $2`,
      [ids, SUBJECT_EXPORT_LIMIT + 1],
    );
  }

  /**
   * Erases records: content emptied at once, the row kept as a tombstone (agency, external id, version,
   * when) until retention removes it. Announced like a withdrawal, so linkage drops the record from its
   * person and family. Already erased records are left alone.
   */
  async markErased(m: EntityManager, ids: readonly string[], correlationId: string): Promise<ChangedRecord[]> {
    const changed = await queryRows<ChangedRecord>(
      m,
      `UPDATE source_record SET status = 'erased', record = '{}'::jsonb, content_hash = '', invalid_fields = '{}',
         withdrawn_at = COALESCE(withdrawn_at, now()), updated_at = now()
       WHERE id = ANY($1::uuid[]) AND status <> 'erased'
       RETURNING id, agency_id AS "agencyId", external_id AS "externalId", version`,
      [ids],
    );
    await this.announce(m, changed, 'erased', correlationId);
    return changed;
  }

  /** Restricts records: content kept, but out of matching and disclosure (linkage reads active records only). */
  async markRestricted(m: EntityManager, ids: readonly string[], correlationId: string): Promise<ChangedRecord[]> {
    const changed = await queryRows<ChangedRecord>(
      m,
      `UPDATE source_record SET status = 'restricted', updated_at = now()
       WHERE id = ANY($1::uuid[]) AND status = 'active'
       RETURNING id, agency_id AS "agencyId", external_id AS "externalId", version`,
      [ids],
    );
    await this.announce(m, changed, 'restricted', correlationId);
    return changed;
  }

  /**
   * Removes withdrawn and erased tombstones emptied before `before`, with anything linkage still holds
   * of them. Answers counts per agency only.
   */
  async removeExpiredTombstones(m: EntityManager, before: Date): Promise<Record<string, number>> {
    const removed = await queryRows<{ id: string; agencyId: string }>(
      m,
      `DELETE FROM source_record WHERE status IN ('withdrawn', 'erased') AND withdrawn_at < $1
       RETURNING id, agency_id AS "agencyId"`,
      [before],
    );
    if (removed.length > 0 && (await this.hasLinkage(m))) {
      const ids = removed.map((r) => r.id);
      await m.query(`DELETE FROM linkage_link WHERE a = ANY($1::uuid[]) OR b = ANY($1::uuid[])`, [ids]);
      await m.query(`DELETE FROM linkage_record WHERE source_record_id = ANY($1::uuid[])`, [ids]);
    }
    const counts: Record<string, number> = {};
    for (const r of removed) counts[r.agencyId] = (counts[r.agencyId] ?? 0) + 1;
    return counts;
  }

  /** The agency's change feed and the outbox: the worker re-links each record (and so drops it). */
  private async announce(
    m: EntityManager,
    changed: readonly ChangedRecord[],
    kind: 'erased' | 'restricted',
    correlationId: string,
  ): Promise<void> {
    if (changed.length === 0) return;
    const rows = JSON.stringify(
      changed.map((c) => ({ id: c.id, agency_id: c.agencyId, external_id: c.externalId, version: c.version })),
    );
    await m.query(
      `INSERT INTO record_change (agency_id, record_id, external_id, kind, version)
       SELECT x.agency_id, x.id, x.external_id, $2, x.version
       FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, agency_id text, external_id text, version int)`,
      [rows, kind],
    );
    await m.query(
      `INSERT INTO outbox_event (topic, agency_id, payload)
       SELECT 'record.changed', x.agency_id,
              jsonb_build_object('agencyId', x.agency_id, 'recordId', x.id, 'correlationId', $2::text)
       FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, agency_id text)`,
      [rows, correlationId],
    );
  }
}

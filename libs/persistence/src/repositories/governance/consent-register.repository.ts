import type { DataSource, EntityManager } from 'typeorm';
import type { ConsentRecord, ConsentState } from '@joinedup/governance';
import { queryRows, withAgencyScope, withSystemScope } from '../../scope.js';

/** A stored consent record: one decision that may name the subject by several ids. */
export interface StoredConsent {
  id: string;
  subjectIds: string[];
  purpose: string;
  state: ConsentState;
  /** null: every agency. */
  scope: string[] | null;
  recordedBy: string;
  evidenceRef: string;
  at: Date;
  expiresAt: Date | null;
  agencyId: string;
  supersedes: string | null;
}

const COLUMNS = `id, subject_ids AS "subjectIds", purpose, state, scope, recorded_by AS "recordedBy",
  evidence_ref AS "evidenceRef", at, expires_at AS "expiresAt", agency_id AS "agencyId", supersedes`;

/** The engine keys consent by one subject id; a record naming several ids counts for each. */
export function consentRecordsOf(c: StoredConsent): ConsentRecord[] {
  return c.subjectIds.map((subject) => ({
    id: c.id,
    subject,
    purpose: c.purpose,
    state: c.state,
    scope: c.scope ?? 'all',
    recordedBy: c.recordedBy,
    evidenceRef: c.evidenceRef,
    at: c.at,
    ...(c.expiresAt ? { expiresAt: c.expiresAt } : {}),
  }));
}

/**
 * Consent records, append-only: a withdrawal is a new record that supersedes the old one. The agency
 * that recorded a record reads it; the engine reads all of them in system scope.
 */
export class ConsentRegisterRepository {
  constructor(private readonly dataSource: DataSource) {}

  async append(manager: EntityManager, c: Omit<StoredConsent, 'id'>): Promise<StoredConsent> {
    const rows = await queryRows<StoredConsent>(
      manager,
      `INSERT INTO consent_record (subject_ids, purpose, state, scope, recorded_by, evidence_ref, at, expires_at, agency_id, supersedes)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING ${COLUMNS}`,
      [
        c.subjectIds,
        c.purpose,
        c.state,
        c.scope,
        c.recordedBy,
        c.evidenceRef,
        c.at,
        c.expiresAt,
        c.agencyId,
        c.supersedes,
      ],
    );
    return rows[0]!;
  }

  async findIn(manager: EntityManager, id: string): Promise<StoredConsent | null> {
    const rows = await queryRows<StoredConsent>(manager, `SELECT ${COLUMNS} FROM consent_record WHERE id = $1`, [id]);
    return rows[0] ?? null;
  }

  async bySubject(agencyId: string, subject: string): Promise<StoredConsent[]> {
    return withAgencyScope(this.dataSource, agencyId, (m) =>
      m.query(`SELECT ${COLUMNS} FROM consent_record WHERE subject_ids @> ARRAY[$1::text] ORDER BY at DESC, id`, [
        subject,
      ]),
    );
  }

  /** Every record, for the decision engine. */
  async all(): Promise<StoredConsent[]> {
    return withSystemScope(this.dataSource, (m) => this.allIn(m));
  }

  /** As all, in the caller's system-scoped transaction. */
  async allIn(manager: EntityManager): Promise<StoredConsent[]> {
    return queryRows<StoredConsent>(manager, `SELECT ${COLUMNS} FROM consent_record`);
  }

  async byId(id: string): Promise<StoredConsent | null> {
    return withSystemScope(this.dataSource, (m) => this.findIn(m, id));
  }
}

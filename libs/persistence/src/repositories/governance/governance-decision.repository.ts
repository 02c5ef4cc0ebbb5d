import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import type { Decision, DecisionRequest } from '@joinedup/governance';
import { preparedRows, queryRows, withAgencyScope } from '../../scope.js';

export interface StoredDecision {
  id: string;
  at: Date;
  purpose: string;
  fromAgency: string;
  toAgency: string;
  subjects: string[];
  requested: string[];
  permitted: string[];
  fields: string[] | null;
  decision: 'allow' | 'deny';
  agreementId: string | null;
  agreementVersion: number | null;
  consentRef: string | null;
  reasons: string[];
  context: string;
}

export interface DecisionFilter {
  purpose?: string;
  subject?: string;
  decision?: 'allow' | 'deny';
  /** The other agency of the pair, either direction. */
  otherAgency?: string;
  before?: Date;
  limit: number;
}

const COLUMNS = `id, at, purpose, from_agency AS "fromAgency", to_agency AS "toAgency", subjects, requested, permitted,
  fields, decision, agreement_id AS "agreementId", agreement_version AS "agreementVersion", consent_ref AS "consentRef",
  reasons, context`;

const subjectsOf = (s: DecisionRequest['subject']): string[] => (typeof s === 'string' ? [s] : [...s]);

/** Governance decisions, allow and deny, append-only; each agency reads those it disclosed or received. */
export class GovernanceDecisionRepository {
  constructor(private readonly dataSource: DataSource) {}

  async append(
    manager: EntityManager,
    request: DecisionRequest,
    d: Decision,
    context: string,
  ): Promise<StoredDecision> {
    const rows = await queryRows<StoredDecision>(
      manager,
      `INSERT INTO governance_decision (at, purpose, from_agency, to_agency, subjects, requested, permitted, fields,
         decision, agreement_id, agreement_version, consent_ref, reasons, context)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING ${COLUMNS}`,
      [
        request.at,
        request.purpose,
        request.fromAgency,
        request.toAgency,
        subjectsOf(request.subject),
        [...new Set(request.categories)],
        d.categories,
        d.fields,
        d.decision,
        d.agreement?.id ?? null,
        d.agreement?.version ?? null,
        d.consentRef,
        JSON.stringify(d.reasons),
        context,
      ],
    );
    return rows[0]!;
  }

  /**
   * Many answers in one statement (one row each); answers the new rows' ids in order. Each entry's
   * request may name many subjects (a batch re-link records one row per group of pairs).
   */
  async appendMany(
    manager: EntityManager,
    at: Date,
    entries: readonly { request: DecisionRequest; decision: Decision }[],
    context: string,
  ): Promise<string[]> {
    if (entries.length === 0) return [];
    const ids = entries.map(() => randomUUID());
    await preparedRows(
      manager,
      `INSERT INTO governance_decision (id, at, purpose, from_agency, to_agency, subjects, requested, permitted, fields,
         decision, agreement_id, agreement_version, consent_ref, reasons, context)
       SELECT r.id, $1, r.purpose, r.from_agency, r.to_agency, ARRAY(SELECT jsonb_array_elements_text(r.subjects)),
         ARRAY(SELECT jsonb_array_elements_text(r.requested)), ARRAY(SELECT jsonb_array_elements_text(r.permitted)),
         CASE WHEN jsonb_typeof(r.fields) = 'array' THEN ARRAY(SELECT jsonb_array_elements_text(r.fields)) END,
         r.decision, r.agreement_id, r.agreement_version, r.consent_ref, r.reasons, $3
       FROM jsonb_to_recordset($2::jsonb) AS r(id uuid, purpose text, from_agency text, to_agency text,
         subjects jsonb, requested jsonb, permitted jsonb, fields jsonb, decision text, agreement_id text,
         agreement_version int, consent_ref text, reasons jsonb)`,
      [
        at,
        JSON.stringify(
          entries.map(({ request, decision }, i) => ({
            id: ids[i],
            purpose: request.purpose,
            from_agency: request.fromAgency,
            to_agency: request.toAgency,
            subjects: subjectsOf(request.subject),
            requested: [...new Set(request.categories)],
            permitted: decision.categories,
            fields: decision.fields,
            decision: decision.decision,
            agreement_id: decision.agreement?.id ?? null,
            agreement_version: decision.agreement?.version ?? null,
            consent_ref: decision.consentRef,
            reasons: decision.reasons,
          })),
        ),
        context,
      ],
    );
    return ids;
  }

  /** Newest first. */
  async list(agencyId: string, f: DecisionFilter): Promise<StoredDecision[]> {
    return withAgencyScope(this.dataSource, agencyId, (m) =>
      m.query(
        `SELECT ${COLUMNS} FROM governance_decision
         WHERE ($1::text IS NULL OR purpose = $1)
           AND ($2::text IS NULL OR subjects @> ARRAY[$2::text])
           AND ($3::text IS NULL OR decision = $3)
           AND ($4::text IS NULL OR from_agency = $4 OR to_agency = $4)
           AND ($5::timestamptz IS NULL OR at < $5)
         ORDER BY at DESC, id LIMIT $6`,
        [f.purpose ?? null, f.subject ?? null, f.decision ?? null, f.otherAgency ?? null, f.before ?? null, f.limit],
      ),
    );
  }
}

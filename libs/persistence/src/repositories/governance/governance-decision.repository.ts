import type { DataSource, EntityManager } from 'typeorm';
import type { Decision, DecisionRequest } from '@joinedup/governance';
import { queryRows, withAgencyScope } from '../../scope.js';

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

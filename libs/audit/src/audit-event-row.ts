import type { AgreementRef, AuditActor, ChainedAuditEvent } from './hash-chain.js';

/** One `audit_event` row as the pg driver returns it. */
export interface AuditEventRow {
  seq: string;
  id: string;
  at: Date;
  type: string;
  actor: AuditActor;
  agency_id: string | null;
  purpose: string | null;
  subjects: string[];
  decision: 'allow' | 'deny' | null;
  agreement: AgreementRef | null;
  details: Record<string, unknown>;
  prev_hash: string;
  hash: string;
}

export const AUDIT_EVENT_COLUMNS =
  'seq, id, at, type, actor, agency_id, purpose, subjects, decision, agreement, details, prev_hash, hash';

export function eventFromRow(row: AuditEventRow): ChainedAuditEvent {
  return {
    seq: Number(row.seq),
    id: row.id,
    at: row.at.toISOString(),
    type: row.type,
    actor: row.actor,
    agencyId: row.agency_id,
    purpose: row.purpose,
    subjects: row.subjects,
    decision: row.decision,
    agreement: row.agreement,
    details: row.details,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

/**
 * One INSERT for any number of events: each column travels as one array parameter, so the statement
 * text and its 13 parameters stay the same size however large the batch (no 65,535-parameter limit,
 * no parse of a huge VALUES list). Subjects travel as jsonb because SQL arrays of arrays must be
 * rectangular.
 */
export const INSERT_EVENTS_SQL = `INSERT INTO audit_event (${AUDIT_EVENT_COLUMNS})
  SELECT seq, id, at, type, actor, agency_id, purpose, ARRAY(SELECT jsonb_array_elements_text(u.subjects)),
         decision, agreement, details, prev_hash, hash
  FROM unnest($1::bigint[], $2::uuid[], $3::timestamptz[], $4::text[], $5::jsonb[], $6::text[], $7::text[],
              $8::jsonb[], $9::text[], $10::jsonb[], $11::jsonb[], $12::text[], $13::text[])
    AS u(seq, id, at, type, actor, agency_id, purpose, subjects, decision, agreement, details, prev_hash, hash)`;

/** The parameters of INSERT_EVENTS_SQL; jsonb as text so the driver does not turn JS arrays into SQL arrays. */
export function insertEventsParams(events: ChainedAuditEvent[]): unknown[][] {
  const json = (value: unknown): string | null => (value === null ? null : JSON.stringify(value));
  return [
    events.map((e) => e.seq),
    events.map((e) => e.id),
    events.map((e) => e.at),
    events.map((e) => e.type),
    events.map((e) => json(e.actor)),
    events.map((e) => e.agencyId),
    events.map((e) => e.purpose),
    events.map((e) => json(e.subjects)),
    events.map((e) => e.decision),
    events.map((e) => json(e.agreement)),
    events.map((e) => json(e.details)),
    events.map((e) => e.prevHash),
    events.map((e) => e.hash),
  ];
}

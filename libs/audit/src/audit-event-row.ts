import type { AgreementRef, AuditActor, AuditEventFields, ChainedAuditEvent } from './hash-chain.js';

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

/** An event recorded but not yet chained: no position, no hashes. */
export type RecordedAuditEvent = Omit<AuditEventFields, 'seq'>;

/** One `audit_pending` row as the pg driver returns it. */
export interface PendingRow extends Omit<AuditEventRow, 'seq' | 'id' | 'prev_hash' | 'hash'> {
  id: string;
  event_id: string;
}

export const PENDING_COLUMNS =
  'id, event_id, at, type, actor, agency_id, purpose, subjects, decision, agreement, details';

/** The same one-statement insert as INSERT_EVENTS_SQL, into the pending table. */
export const INSERT_PENDING_SQL = `INSERT INTO audit_pending (event_id, at, type, actor, agency_id, purpose, subjects, decision, agreement, details)
  SELECT id, at, type, actor, agency_id, purpose, ARRAY(SELECT jsonb_array_elements_text(u.subjects)), decision, agreement, details
  FROM unnest($1::uuid[], $2::timestamptz[], $3::text[], $4::jsonb[], $5::text[], $6::text[], $7::jsonb[],
              $8::text[], $9::jsonb[], $10::jsonb[])
    AS u(id, at, type, actor, agency_id, purpose, subjects, decision, agreement, details)`;

export function insertPendingParams(events: RecordedAuditEvent[]): unknown[][] {
  // The chained insert's parameters without seq, prev_hash and hash.
  return insertEventsParams(events.map((e) => ({ ...e, seq: 0, prevHash: '', hash: '' }))).slice(1, 11);
}

export function recordedFromPending(row: PendingRow): RecordedAuditEvent {
  const {
    seq: _seq,
    prevHash: _prev,
    hash: _hash,
    ...event
  } = eventFromRow({
    ...row,
    id: row.event_id,
    seq: '0',
    prev_hash: '',
    hash: '',
  });
  return event;
}

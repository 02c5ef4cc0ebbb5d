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

/** The row's values in AUDIT_EVENT_COLUMNS order, jsonb as text so the driver does not reinterpret arrays. */
export function rowValues(event: ChainedAuditEvent): unknown[] {
  return [
    event.seq,
    event.id,
    event.at,
    event.type,
    JSON.stringify(event.actor),
    event.agencyId,
    event.purpose,
    event.subjects,
    event.decision,
    event.agreement === null ? null : JSON.stringify(event.agreement),
    JSON.stringify(event.details),
    event.prevHash,
    event.hash,
  ];
}

export const ROW_CASTS = [
  'bigint',
  'uuid',
  'timestamptz',
  'text',
  'jsonb',
  'text',
  'text',
  'text[]',
  'text',
  'jsonb',
  'jsonb',
  'text',
  'text',
];

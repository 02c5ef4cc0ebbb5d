import type { EntityManager } from 'typeorm';
import { BrokerError, newId } from '@joinedup/core';
import { INSERT_EVENTS_SQL, insertEventsParams } from './audit-event-row.js';
import { readChainHead } from './audit-store.js';
import {
  auditHash,
  GENESIS,
  type AgreementRef,
  type AuditActor,
  type AuditEventFields,
  type ChainedAuditEvent,
} from './hash-chain.js';

/** What a caller records. Subjects are ids, never names; details carry no personal data. */
export interface AuditEventInput {
  type: string;
  actor: AuditActor;
  at: Date;
  agencyId?: string | null;
  purpose?: string | null;
  subjects?: string[];
  decision?: 'allow' | 'deny' | null;
  agreement?: AgreementRef | null;
  details?: Record<string, unknown>;
  /** Defaults to a new uuid. */
  id?: string;
}

/**
 * Key of the transaction-level advisory lock that serialises appends to the one chain. Every writer, in
 * every replica, takes it; it is held until the caller's transaction ends.
 */
export const AUDIT_CHAIN_LOCK = `hashtext('joinedup.audit_chain')`;

const ACTOR_KINDS: ReadonlySet<string> = new Set(['agency-client', 'person', 'system']);
const MAX_DETAILS_BYTES = 16_384;

function invalid(message: string): never {
  throw new BrokerError('VALIDATION_FAILED', `audit event: ${message}`);
}

/** A JSON round trip, so what is hashed is exactly what jsonb gives back (no Dates, no undefined). */
function jsonValue<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

function fieldsOf(input: AuditEventInput, seq: number): AuditEventFields {
  if (typeof input.type !== 'string' || input.type.length === 0) invalid('type is required');
  if (!input.actor || !ACTOR_KINDS.has(input.actor.kind) || typeof input.actor.id !== 'string')
    invalid('actor must be { kind: agency-client | person | system, id, agency? }');
  if (!(input.at instanceof Date) || Number.isNaN(input.at.getTime())) invalid('at must be a valid Date');
  const subjects = input.subjects ?? [];
  // A cheap guard against names slipping in: ids have no spaces.
  if (!subjects.every((s) => typeof s === 'string' && s.length > 0 && !/\s/.test(s)))
    invalid('subjects must be ids (non-empty, no whitespace)');
  const details = jsonValue(input.details ?? {});
  if (typeof details !== 'object' || details === null || Array.isArray(details)) invalid('details must be an object');
  if (JSON.stringify(details).length > MAX_DETAILS_BYTES) invalid(`details exceed ${MAX_DETAILS_BYTES} bytes`);
  const actor: AuditActor = { kind: input.actor.kind, id: input.actor.id };
  if (input.actor.agency !== undefined) actor.agency = input.actor.agency;
  return {
    seq,
    id: input.id ?? newId(),
    at: input.at.toISOString(),
    type: input.type,
    actor,
    agencyId: input.agencyId ?? null,
    purpose: input.purpose ?? null,
    subjects: [...subjects],
    decision: input.decision ?? null,
    agreement: input.agreement ? { id: input.agreement.id, version: input.agreement.version } : null,
    details,
  };
}

/**
 * Appends to the audit chain inside the caller's transaction, so an audit event commits or rolls back
 * with the change it records. The chain lock is held until that transaction ends: append last, just
 * before commit, to keep the serialised part short.
 *
 * The head is read in its own statement after the lock is granted, so under READ COMMITTED (the
 * default) it sees the last committed append. A REPEATABLE READ transaction that has already run a
 * query keeps its older snapshot: its append then fails on the seq primary key rather than fork the
 * chain, so such callers retry or append from a READ COMMITTED transaction.
 */
export class AuditWriter {
  async append(manager: EntityManager, input: AuditEventInput): Promise<ChainedAuditEvent> {
    const [event] = await this.appendMany(manager, [input]);
    return event!;
  }

  /** One lock, one read of the head and one multi-row insert for the whole batch. */
  async appendMany(manager: EntityManager, inputs: AuditEventInput[]): Promise<ChainedAuditEvent[]> {
    if (inputs.length === 0) return [];
    if (!manager.queryRunner?.isTransactionActive)
      throw new BrokerError('INTERNAL', 'audit events are appended inside the transaction of the change they record');
    // Validate before taking the lock, so a bad event never holds up the chain.
    const fields = inputs.map((input) => fieldsOf(input, 0));
    await manager.query(`SELECT pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK})`);
    let head = await readChainHead(manager);
    const events = fields.map((f) => {
      const seq = (head?.seq ?? 0) + 1;
      const prevHash = head?.hash ?? GENESIS;
      const event = { ...f, seq };
      const chained: ChainedAuditEvent = { ...event, prevHash, hash: auditHash(prevHash, event) };
      head = { seq, hash: chained.hash };
      return chained;
    });
    await manager.query(INSERT_EVENTS_SQL, insertEventsParams(events));
    return events;
  }
}

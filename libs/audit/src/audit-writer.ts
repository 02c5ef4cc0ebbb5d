import type { EntityManager } from 'typeorm';
import { BrokerError, newId } from '@joinedup/core';
import { preparedRows } from '@joinedup/persistence';
import { INSERT_PENDING_SQL, insertPendingParams, type RecordedAuditEvent } from './audit-event-row.js';

export type { RecordedAuditEvent };
import { AuditSequencer } from './audit-sequencer.js';
import type { AgreementRef, AuditActor } from './hash-chain.js';

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

const ACTOR_KINDS: ReadonlySet<string> = new Set(['agency-client', 'person', 'system']);
const MAX_DETAILS_BYTES = 16_384;

function invalid(message: string): never {
  throw new BrokerError('VALIDATION_FAILED', `audit event: ${message}`);
}

/** A JSON round trip, so what is hashed is exactly what jsonb gives back (no Dates, no undefined). */
function jsonValue<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

function fieldsOf(input: AuditEventInput): RecordedAuditEvent {
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
 * Records audit events inside the caller's transaction, so an event commits or rolls back with the
 * change it records. No lock is taken here: the events wait in `audit_pending`, and the transaction's
 * commit waits until AuditSequencer has put them in the hash chain, in one short transaction shared
 * with whatever other writers committed meanwhile.
 */
export class AuditWriter {
  async append(manager: EntityManager, input: AuditEventInput): Promise<RecordedAuditEvent> {
    const [event] = await this.appendMany(manager, [input]);
    return event!;
  }

  /**
   * One multi-row insert for the whole batch. `waitForChain: false`: the transaction's commit starts
   * chaining the events but does not wait for it (see AuditSequencer.recordedIn).
   */
  async appendMany(
    manager: EntityManager,
    inputs: AuditEventInput[],
    { waitForChain = true }: { waitForChain?: boolean } = {},
  ): Promise<RecordedAuditEvent[]> {
    if (inputs.length === 0) return [];
    const runner = manager.queryRunner;
    if (!runner?.isTransactionActive)
      throw new BrokerError('INTERNAL', 'audit events are appended inside the transaction of the change they record');
    const events = inputs.map(fieldsOf);
    AuditSequencer.recordedIn(runner, waitForChain);
    await preparedRows(manager, INSERT_PENDING_SQL, insertPendingParams(events));
    return events;
  }
}

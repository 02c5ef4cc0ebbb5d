import type { EntityManager } from 'typeorm';
import { AuditWriter, type AuditActor } from '@joinedup/audit';
import type { Agreement } from '@joinedup/governance';
import { AgreementRegisterRepository } from '@joinedup/persistence';

const audit = new AuditWriter();

/**
 * Stores the next version of an agreement and its audit event inside the caller's transaction.
 * The audit event is recorded in the same transaction, so it commits with the change.
 */
export async function appendAgreementVersion(
  manager: EntityManager,
  register: AgreementRegisterRepository,
  next: Agreement,
  actor: AuditActor,
): Promise<void> {
  await register.append(manager, next);
  await audit.append(manager, {
    type: 'governance.agreement-changed',
    actor,
    at: next.change.at,
    agencyId: actor.agency ?? null,
    agreement: { id: next.id, version: next.version },
    details: { status: next.status, change: next.change.description, parties: next.parties },
  });
}

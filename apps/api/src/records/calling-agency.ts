import { BrokerError, newId } from '@joinedup/core';
import { auditActorOf } from '../audit/audit-trail.service.js';
import { agencyOf, type Principal } from '../auth/principal.js';
import type { IntakeContext } from './record-intake.service.js';

/** The agency whose records the caller may write and read; platform admins hold none. */
export function requireAgency(principal: Principal): string {
  const agency = agencyOf(principal);
  if (!agency) throw new BrokerError('FORBIDDEN', 'records belong to agencies: call with an agency token');
  return agency;
}

/** Today as YYYY-MM-DD: dates of birth after it are impossible. */
export function today(): string {
  return new Date().toISOString().slice(0, 10);
}

/** The intake context of a request: its id (or a new one) and the caller as the audit chain names it. */
export function intakeContext(principal: Principal, request: { id?: unknown }): IntakeContext {
  return { correlationId: String(request.id ?? newId()), actor: auditActorOf(principal) };
}

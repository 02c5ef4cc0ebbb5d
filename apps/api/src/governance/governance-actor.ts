import type { AuditActor } from '@joinedup/audit';
import { BrokerError } from '@joinedup/core';
import type { Actor } from '@joinedup/governance';
import type { Principal } from '../auth/principal.js';

/** The person acting on the register: signed in, or named by their agency system (on-behalf-of). */
export function governanceActorOf(principal: Principal): Actor {
  if (principal.kind === 'platform-admin' || !principal.personId) {
    throw new BrokerError('FORBIDDEN', 'agreements are changed by a named person of a party agency');
  }
  return { person: principal.personId, agency: principal.agencyId, roles: principal.roles };
}

/** The caller as the audit chain names it. */
export function auditActorOfPrincipal(principal: Principal): AuditActor {
  switch (principal.kind) {
    case 'platform-admin':
      return { kind: 'person', id: principal.personId };
    case 'person':
      return { kind: 'person', id: principal.personId, agency: principal.agencyId };
    case 'client':
      return principal.personId
        ? { kind: 'person', id: principal.personId, agency: principal.agencyId }
        : { kind: 'agency-client', id: principal.clientId, agency: principal.agencyId };
  }
}

/** The caller's agency; platform admins hold none and see no agency's register. */
export function agencyOfCaller(principal: Principal): string {
  if (principal.kind === 'platform-admin') {
    throw new BrokerError('FORBIDDEN', 'the governance register is read by people of a party agency');
  }
  return principal.agencyId;
}

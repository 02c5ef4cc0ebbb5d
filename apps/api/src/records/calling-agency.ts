import { BrokerError } from '@joinedup/core';
import { agencyOf, type Principal } from '../auth/principal.js';

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

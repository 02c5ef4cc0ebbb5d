import { randomUUID } from 'node:crypto';

/** Agency ids are lowercase slugs such as `leeds-csc`. */
export type AgencyId = string & { readonly __brand?: 'AgencyId' };

export const AGENCY_SLUG = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;

export function isAgencySlug(value: string): boolean {
  return AGENCY_SLUG.test(value);
}

export function newId(): string {
  return randomUUID();
}

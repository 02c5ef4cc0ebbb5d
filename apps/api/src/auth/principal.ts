/**
 * Who is calling. Set on the request by the auth guard after the bearer token is verified.
 * - `client`: an agency system (OAuth client credentials); `personId` is set when it acts
 *   on behalf of one of its people (header `on-behalf-of`, checked to belong to the agency).
 * - `person`: a caseworker, team manager, IG officer or agency admin signed in directly (console).
 * - `platform-admin`: the bootstrapped administrator of the broker itself.
 */
export const ROLES = ['caseworker', 'team-manager', 'ig-officer', 'agency-admin', 'platform-admin'] as const;
export type Role = (typeof ROLES)[number];

/** Scopes an agency client can be granted. */
export const SCOPES = [
  'records:read',
  'records:write',
  'linkage:read',
  'consent:write',
  'inbox:read',
  'inbox:write',
  'webhooks:manage',
] as const;
export type Scope = (typeof SCOPES)[number];

export type Principal =
  | { kind: 'client'; agencyId: string; clientId: string; scopes: Scope[]; personId?: string; roles: Role[] }
  | { kind: 'person'; agencyId: string; personId: string; roles: Role[]; scopes: Scope[] }
  | { kind: 'platform-admin'; personId: string; roles: ['platform-admin']; scopes: [] };

/** The agency whose data the principal may reach; a platform admin has none. */
export function agencyOf(principal: Principal): string | null {
  return principal.kind === 'platform-admin' ? null : principal.agencyId;
}

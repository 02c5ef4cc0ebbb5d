import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { BrokerError } from '@joinedup/core';
import { RegistryRepository } from '@joinedup/persistence';
import { AccessTokensService } from './access-tokens.service.js';
import { REQUIRED_ROLES, REQUIRED_SCOPES } from './auth.decorators.js';
import { type Principal, type Role, type Scope, SCOPES } from './principal.js';
import { IS_PUBLIC } from './public.decorator.js';
import { SecurityEvents } from './security-events.js';
import { auditActorOf } from '../audit/audit-trail.service.js';

/** What people may do when they sign in directly (the console), by role. */
export const SCOPES_OF_ROLE: Record<Role, Scope[]> = {
  caseworker: ['inbox:read', 'inbox:write'],
  'team-manager': ['inbox:read', 'inbox:write'],
  'ig-officer': ['consent:write', 'linkage:read'],
  'agency-admin': ['webhooks:manage'],
  'platform-admin': [],
};

/**
 * Global guard: every route is denied unless it is @Public() or declares the scopes or roles it needs,
 * and the caller's verified bearer token grants them.
 */
@Injectable()
export class DenyByDefaultGuard implements CanActivate {
  private readonly registry: RegistryRepository;

  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: AccessTokensService,
    private readonly security: SecurityEvents,
    dataSource: DataSource,
  ) {
    this.registry = new RegistryRepository(dataSource);
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const request = context
      .switchToHttp()
      .getRequest<{ headers: Record<string, string | undefined>; principal?: Principal }>();
    const match = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/.exec(request.headers.authorization ?? '');
    if (!match) throw new BrokerError('UNAUTHENTICATED', 'a bearer token is required');
    const principal = await this.principalOf(match[1]!, request.headers['on-behalf-of']);
    request.principal = principal;

    const scopes = this.reflector.getAllAndOverride<Scope[] | undefined>(REQUIRED_SCOPES, targets);
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(REQUIRED_ROLES, targets);
    if (!scopes && !roles) throw new BrokerError('FORBIDDEN', 'this route declares no access rule');
    const held: readonly string[] = principal.scopes;
    const heldRoles: readonly string[] = principal.roles;
    const missing = (scopes ?? []).filter((s) => !held.includes(s));
    const roleOk = !roles || roles.some((r) => heldRoles.includes(r));
    if (missing.length > 0 || !roleOk) {
      await this.security.record({
        type: 'access.denied',
        agencyId: principal.kind === 'platform-admin' ? null : principal.agencyId,
        actor: auditActorOf(principal),
        details: { missing, roles: roles ?? [] },
      });
      throw new BrokerError(
        'FORBIDDEN',
        missing.length > 0 ? `missing scope: ${missing.join(' ')}` : `needs one of the roles: ${roles!.join(', ')}`,
      );
    }
    return true;
  }

  private async principalOf(token: string, onBehalfOf: string | undefined): Promise<Principal> {
    const claims = await this.tokens.verify(token);
    if (claims.kind === 'platform-admin')
      return { kind: 'platform-admin', personId: claims.sub!, roles: ['platform-admin'], scopes: [] };
    if (!claims.agency) throw new BrokerError('UNAUTHENTICATED', 'the access token names no agency');
    if (claims.kind === 'person') {
      const person = await this.registry.getPerson(claims.agency, claims.sub!);
      if (!person?.active) throw new BrokerError('UNAUTHENTICATED', 'the person is not active');
      const roles = person.roles as Role[];
      return {
        kind: 'person',
        agencyId: claims.agency,
        personId: person.id,
        roles,
        scopes: [...new Set(roles.flatMap((r) => SCOPES_OF_ROLE[r] ?? []))],
      };
    }
    const scopes = (claims.scope ?? '').split(' ').filter((s): s is Scope => (SCOPES as readonly string[]).includes(s));
    const principal: Principal = {
      kind: 'client',
      agencyId: claims.agency,
      clientId: claims.client_id ?? claims.sub!,
      scopes,
      roles: [],
    };
    if (onBehalfOf) {
      const person = await this.registry.getPerson(claims.agency, onBehalfOf);
      if (!person?.active)
        throw new BrokerError('FORBIDDEN', 'on-behalf-of must name an active person of the calling agency');
      principal.personId = person.id;
      principal.roles = person.roles as Role[];
    }
    return principal;
  }
}

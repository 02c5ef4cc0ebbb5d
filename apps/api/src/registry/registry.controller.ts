import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { randomBytes, randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { BrokerError } from '@joinedup/core';
import { RegistryRepository, type WithinChange } from '@joinedup/persistence';
import { AuditTrail, auditActorOf, onBehalfOf } from '../audit/audit-trail.service.js';
import { CurrentPrincipal, RequireRoles } from '../auth/auth.decorators.js';
import { hashPassword } from '../auth/passwords.js';
import type { Principal } from '../auth/principal.js';
import { SecurityEvents } from '../auth/security-events.js';
import { assertPublicJwks } from './public-jwks.js';
import {
  CreateAgencyDto,
  CreateClientDto,
  CreatePersonDto,
  CreateWebhookDto,
  SetClientKeysDto,
} from './registry.dto.js';

/**
 * Admin API for the registry. Platform admins manage every agency; an agency admin only their own: any
 * other agency's resources answer 404, exactly as if they did not exist. Every change appends its audit
 * event (type `registry.changed`) in the transaction of the change.
 */
@ApiTags('admin: registry')
@ApiBearerAuth()
@Controller('v1/admin/agencies')
export class RegistryController {
  private readonly registry: RegistryRepository;

  constructor(
    dataSource: DataSource,
    private readonly audit: AuditTrail,
    private readonly security: SecurityEvents,
  ) {
    this.registry = new RegistryRepository(dataSource);
  }

  @Post()
  @RequireRoles('platform-admin')
  async createAgency(@CurrentPrincipal() actor: Principal, @Body() dto: CreateAgencyDto): Promise<CreateAgencyDto> {
    const created = await this.registry.createAgency(
      dto,
      this.audited(actor, dto.id, 'agency.created', `agency:${dto.id}`),
    );
    if (!created) throw new BrokerError('CONFLICT', 'an agency with this id exists');
    return dto;
  }

  @Get()
  @RequireRoles('platform-admin', 'agency-admin', 'ig-officer', 'team-manager', 'caseworker')
  listAgencies(): Promise<unknown[]> {
    return this.registry.listAgencies();
  }

  @Post(':agencyId/clients')
  @RequireRoles('platform-admin', 'agency-admin')
  async createClient(
    @CurrentPrincipal() actor: Principal,
    @Param('agencyId') agencyId: string,
    @Body() dto: CreateClientDto,
  ) {
    await this.reach(actor, agencyId);
    if (Boolean(dto.jwks) === Boolean(dto.jwksUri)) {
      throw new BrokerError('VALIDATION_FAILED', 'give either jwks or jwksUri', [
        { field: 'jwks', reason: 'exactly one of jwks and jwksUri' },
      ]);
    }
    if (dto.jwks) assertPublicJwks(dto.jwks);
    const clientId = `${agencyId}.${randomUUID()}`;
    await this.registry.createClient(
      agencyId,
      { clientId, name: dto.name, scopes: dto.scopes, jwks: dto.jwks ?? null, jwksUri: dto.jwksUri ?? null },
      this.audited(actor, agencyId, 'client.created', `client:${clientId}`, { scopes: dto.scopes }),
    );
    return { clientId, agencyId, scopes: dto.scopes };
  }

  @Get(':agencyId/clients')
  @RequireRoles('platform-admin', 'agency-admin')
  async listClients(@CurrentPrincipal() actor: Principal, @Param('agencyId') agencyId: string) {
    await this.reach(actor, agencyId);
    return this.registry.listClients(agencyId);
  }

  /** The agency rotates its own keys: the new set replaces the old at once. */
  @Put(':agencyId/clients/:clientId/keys')
  @RequireRoles('platform-admin', 'agency-admin')
  async setKeys(
    @CurrentPrincipal() actor: Principal,
    @Param('agencyId') agencyId: string,
    @Param('clientId') clientId: string,
    @Body() dto: SetClientKeysDto,
  ) {
    await this.reach(actor, agencyId);
    assertPublicJwks(dto.jwks);
    const keyIds = dto.jwks.keys.map((k) => k.kid);
    const within = this.audited(actor, agencyId, 'client.keys-replaced', `client:${clientId}`, { keyIds });
    if (!(await this.registry.setClientKeys(agencyId, clientId, dto.jwks, within)))
      throw await this.notFound(actor, agencyId);
    return { clientId, keyIds };
  }

  @Delete(':agencyId/clients/:clientId')
  @RequireRoles('platform-admin', 'agency-admin')
  @HttpCode(204)
  async deleteClient(
    @CurrentPrincipal() actor: Principal,
    @Param('agencyId') agencyId: string,
    @Param('clientId') clientId: string,
  ): Promise<void> {
    await this.reach(actor, agencyId);
    const within = this.audited(actor, agencyId, 'client.deleted', `client:${clientId}`);
    if (!(await this.registry.deleteClient(agencyId, clientId, within))) throw await this.notFound(actor, agencyId);
  }

  @Post(':agencyId/people')
  @RequireRoles('platform-admin', 'agency-admin')
  async createPerson(
    @CurrentPrincipal() actor: Principal,
    @Param('agencyId') agencyId: string,
    @Body() dto: CreatePersonDto,
  ) {
    await this.reach(actor, agencyId);
    const id = await this.registry.createPerson(
      agencyId,
      {
        staffRef: dto.staffRef,
        email: dto.email,
        displayName: dto.displayName,
        roles: dto.roles,
        team: dto.team ?? null,
        skills: dto.skills ?? [],
        leadCapacity: dto.leadCapacity ?? 0,
        passwordHash: dto.password ? await hashPassword(dto.password) : null,
      },
      // The person's id and roles only: never their name, e-mail address or staff reference.
      (m, personId) => this.audited(actor, agencyId, 'person.created', `person:${personId}`, { roles: dto.roles })(m),
    );
    return { id, agencyId, roles: dto.roles };
  }

  @Get(':agencyId/people')
  @RequireRoles('platform-admin', 'agency-admin')
  async listPeople(@CurrentPrincipal() actor: Principal, @Param('agencyId') agencyId: string) {
    await this.reach(actor, agencyId);
    return this.registry.listPeople(agencyId);
  }

  @Post(':agencyId/webhooks')
  @RequireRoles('platform-admin', 'agency-admin')
  async createWebhook(
    @CurrentPrincipal() actor: Principal,
    @Param('agencyId') agencyId: string,
    @Body() dto: CreateWebhookDto,
  ) {
    await this.reach(actor, agencyId);
    const secret = `whsec_${randomBytes(24).toString('base64')}`;
    const id = await this.registry.createWebhook(
      agencyId,
      { url: dto.url, secret, eventTypes: dto.eventTypes },
      (m, hookId) =>
        this.audited(actor, agencyId, 'webhook.created', `webhook:${hookId}`, { eventTypes: dto.eventTypes })(m),
    );
    // The secret is shown once, here; it is never returned again.
    return { id, url: dto.url, eventTypes: dto.eventTypes, secret };
  }

  @Get(':agencyId/webhooks')
  @RequireRoles('platform-admin', 'agency-admin')
  async listWebhooks(@CurrentPrincipal() actor: Principal, @Param('agencyId') agencyId: string) {
    await this.reach(actor, agencyId);
    return this.registry.listWebhooks(agencyId);
  }

  @Delete(':agencyId/webhooks/:id')
  @RequireRoles('platform-admin', 'agency-admin')
  @HttpCode(204)
  async deleteWebhook(
    @CurrentPrincipal() actor: Principal,
    @Param('agencyId') agencyId: string,
    @Param('id') id: string,
  ): Promise<void> {
    await this.reach(actor, agencyId);
    const within = this.audited(actor, agencyId, 'webhook.deleted', `webhook:${id}`);
    if (!(await this.registry.deleteWebhook(agencyId, id, within))) throw await this.notFound(actor, agencyId);
  }

  /** Another agency's resources do not exist for the caller (404), and the attempt is recorded. */
  private async reach(actor: Principal, agencyId: string): Promise<void> {
    if (actor.kind === 'platform-admin') {
      if (!(await this.registry.agencyExists(agencyId))) throw new BrokerError('NOT_FOUND', 'no such agency');
      return;
    }
    if (actor.agencyId !== agencyId) throw await this.notFound(actor, agencyId);
  }

  private async notFound(actor: Principal, agencyId: string): Promise<BrokerError> {
    if (actor.kind !== 'platform-admin' && actor.agencyId !== agencyId) {
      await this.security.record({
        type: 'access.cross-agency',
        agencyId: actor.agencyId,
        actor: auditActorOf(actor),
        details: { targetAgency: agencyId },
      });
    }
    return new BrokerError('NOT_FOUND', 'not found');
  }

  /** The audit append for one registry change; the subject is the changed resource (`kind:id`). */
  private audited(
    actor: Principal,
    agencyId: string,
    change: string,
    subject: string,
    details: Record<string, unknown> = {},
  ): WithinChange {
    return (manager) =>
      this.audit.append(manager, {
        type: 'registry.changed',
        actor: auditActorOf(actor),
        agencyId,
        subjects: [subject],
        details: { change, ...details, ...onBehalfOf(actor) },
      });
  }
}

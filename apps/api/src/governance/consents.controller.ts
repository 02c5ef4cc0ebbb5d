import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { BrokerError } from '@joinedup/core';
import type { StoredConsent } from '@joinedup/persistence';
import { CurrentPrincipal, RequireRoles, RequireScopes } from '../auth/auth.decorators.js';
import type { Principal } from '../auth/principal.js';
import { ConsentCommands } from './consent-commands.service.js';
import { ConsentQuery, RecordConsentDto, WithdrawConsentDto } from './consent.dto.js';

/**
 * IG officers and caseworkers record consent; so may an agency system sending it with its records
 * (scope records:write or consent:write). The guard's rules are all-of, so this either-or rule is
 * checked here; the route declares no scope to let every authenticated caller reach the check.
 */
function assertMayRecord(p: Principal): void {
  const roles: readonly string[] = p.roles;
  const scopes: readonly string[] = p.scopes;
  const ok =
    roles.includes('ig-officer') ||
    roles.includes('caseworker') ||
    (p.kind === 'client' && (scopes.includes('records:write') || scopes.includes('consent:write')));
  if (!ok) throw new BrokerError('FORBIDDEN', 'consent is recorded by IG officers, caseworkers or agency systems');
}

@ApiTags('governance: consent')
@ApiBearerAuth()
@Controller('v1/governance/consents')
export class ConsentsController {
  constructor(private readonly commands: ConsentCommands) {}

  @Post()
  @RequireScopes()
  @ApiOperation({ summary: 'Record a given, refused or withdrawn consent decision' })
  record(@CurrentPrincipal() p: Principal, @Body() dto: RecordConsentDto): Promise<StoredConsent> {
    assertMayRecord(p);
    return this.commands.record(p, dto);
  }

  @Post(':id/withdraw')
  @RequireScopes()
  @HttpCode(200)
  @ApiOperation({ summary: 'Withdraw consent: takes effect everywhere within 5 seconds' })
  withdraw(
    @CurrentPrincipal() p: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: WithdrawConsentDto,
  ): Promise<StoredConsent> {
    assertMayRecord(p);
    return this.commands.withdraw(p, id, dto);
  }

  @Get()
  @RequireRoles('ig-officer', 'caseworker')
  @ApiOperation({ summary: "A subject's consent records held by your agency, newest first" })
  async bySubject(@CurrentPrincipal() p: Principal, @Query() q: ConsentQuery) {
    return { items: await this.commands.bySubject(p, q.subject) };
  }
}

import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { randomUUID } from 'node:crypto';
import { BrokerError } from '@joinedup/core';
import { CoordinationService } from '@joinedup/coordination-service';
import { CurrentPrincipal, RequireRoles } from '../auth/auth.decorators.js';
import type { Principal } from '../auth/principal.js';
import { CaseViewService } from './case-view.service.js';
import { AcceptOfferDto, DeclineOfferDto, HandOverDto } from './coordination.dto.js';

/**
 * Coordinated cases for the people working them: the case picture each may see, and answers to lead
 * offers. Agency systems call these on behalf of a worker (`on-behalf-of`).
 */
@ApiTags('cases')
@ApiBearerAuth()
@Controller('v1')
export class CasesController {
  constructor(
    private readonly views: CaseViewService,
    private readonly coordination: CoordinationService,
  ) {}

  @Get('cases')
  @RequireRoles('caseworker', 'team-manager', 'ig-officer')
  @ApiOperation({ summary: 'Cases the caller works on (team managers and IG officers: their agency’s cases)' })
  list(@CurrentPrincipal() p: Principal) {
    return this.views.list(p);
  }

  @Get('cases/:id')
  @RequireRoles('caseworker', 'team-manager', 'ig-officer')
  @ApiOperation({ summary: 'A case: lead and why, offers, history, and the family facts the caller may see with why' })
  view(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string) {
    return this.views.view(p, id);
  }

  @Post('cases/:id/handover')
  @HttpCode(200)
  @RequireRoles('caseworker', 'team-manager')
  @ApiOperation({
    summary: 'The lead (or a manager of the lead’s agency) hands the case to another worker; history kept',
  })
  handOver(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() dto: HandOverDto) {
    return this.coordination.handOverCase(id, actorOf(p), { workerId: dto.workerId, reason: dto.reason }, randomUUID());
  }

  @Post('offers/:id/accept')
  @HttpCode(200)
  @RequireRoles('caseworker', 'team-manager')
  @ApiOperation({ summary: 'Accept a lead offer (duty-team and team-manager offers: say who takes it)' })
  accept(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() dto: AcceptOfferDto) {
    return this.coordination.answerOffer(
      id,
      actorOf(p),
      { accept: true, ...(dto.workerId ? { workerId: dto.workerId } : {}) },
      randomUUID(),
    );
  }

  @Post('offers/:id/decline')
  @HttpCode(200)
  @RequireRoles('caseworker', 'team-manager')
  @ApiOperation({ summary: 'Decline a lead offer with a reason; the case is offered to the next candidate' })
  decline(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() dto: DeclineOfferDto) {
    return this.coordination.answerOffer(id, actorOf(p), { accept: false, reason: dto.reason }, randomUUID());
  }
}

function actorOf(p: Principal) {
  if (p.kind === 'platform-admin' || !p.personId)
    throw new BrokerError('FORBIDDEN', 'Offers are answered by a worker (agency systems: send on-behalf-of)');
  return { personId: p.personId, agency: p.agencyId, roles: p.roles };
}

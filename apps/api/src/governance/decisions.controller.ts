import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { systemClock } from '@joinedup/core';
import { GovernanceDecider, type RecordedDecision } from '@joinedup/enforcement';
import { GovernanceDecisionRepository } from '@joinedup/persistence';
import { CurrentPrincipal, RequireRoles } from '../auth/auth.decorators.js';
import type { Principal } from '../auth/principal.js';
import { DecideDto, DecisionQuery } from './decision.dto.js';
import { agencyOfCaller, auditActorOfPrincipal } from './governance-actor.js';

/** Governance decisions: a dry run for IG officers and admins, and the stored record of every decision. */
@ApiTags('governance: decisions')
@ApiBearerAuth()
@Controller('v1/governance')
export class DecisionsController {
  private readonly decisions: GovernanceDecisionRepository;

  constructor(
    private readonly decider: GovernanceDecider,
    dataSource: DataSource,
  ) {
    this.decisions = new GovernanceDecisionRepository(dataSource);
  }

  /** Discloses no data: answers what the engine would decide, and records that it was asked. */
  @Post('decide')
  @HttpCode(200)
  @RequireRoles('ig-officer', 'platform-admin')
  @ApiOperation({ summary: 'Dry run: would this flow be allowed now? (recorded like every decision)' })
  decide(@CurrentPrincipal() p: Principal, @Body() dto: DecideDto): Promise<RecordedDecision> {
    return this.decider.decide(
      {
        purpose: dto.purpose,
        fromAgency: dto.fromAgency,
        toAgency: dto.toAgency,
        subject: dto.subject,
        categories: dto.categories,
        at: dto.at ? new Date(dto.at) : systemClock.now(),
      },
      { context: 'dry-run', actor: auditActorOfPrincipal(p) },
    );
  }

  @Get('decisions')
  @RequireRoles('ig-officer')
  @ApiOperation({ summary: 'Decisions about data your agency disclosed or received, newest first' })
  async list(@CurrentPrincipal() p: Principal, @Query() q: DecisionQuery) {
    const items = await this.decisions.list(agencyOfCaller(p), {
      purpose: q.purpose,
      subject: q.subject,
      decision: q.decision,
      otherAgency: q.agency,
      before: q.before ? new Date(q.before) : undefined,
      limit: q.limit,
    });
    return { items };
  }
}

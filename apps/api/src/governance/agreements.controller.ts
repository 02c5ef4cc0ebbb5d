import { Body, Controller, Get, HttpCode, Param, ParseIntPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { BrokerError } from '@joinedup/core';
import { pendingApprovals, type Agreement, type Simulation } from '@joinedup/governance';
import { AgreementRegisterRepository } from '@joinedup/persistence';
import { CurrentPrincipal, RequireRoles } from '../auth/auth.decorators.js';
import type { Principal } from '../auth/principal.js';
import { AgreementCommands } from './agreement-commands.service.js';
import { diffVersions, type FieldChange } from './agreement-diff.js';
import { AgreementContentDto, AgreementListQuery, DiffQuery, EditAgreementDto, ReasonDto } from './agreement.dto.js';
import { agencyOfCaller } from './governance-actor.js';

const withPending = (a: Agreement) => ({ ...a, pendingApprovals: pendingApprovals(a) });

/**
 * Data-sharing agreements, for IG officers of the party agencies (two-person rule and every rule of
 * the lifecycle are in @joinedup/governance). Agreements the caller's agency is not a party to
 * answer 404, as if they did not exist.
 */
@ApiTags('governance: agreements')
@ApiBearerAuth()
@RequireRoles('ig-officer')
@Controller('v1/governance/agreements')
export class AgreementsController {
  private readonly register: AgreementRegisterRepository;

  constructor(
    private readonly commands: AgreementCommands,
    dataSource: DataSource,
  ) {
    this.register = new AgreementRegisterRepository(dataSource);
  }

  @Post()
  @ApiOperation({ summary: 'Draft a new agreement (version 1)' })
  async draft(@CurrentPrincipal() p: Principal, @Body() dto: AgreementContentDto) {
    return withPending(await this.commands.draft(p, dto));
  }

  @Get()
  @ApiOperation({ summary: 'Latest version of each agreement your agency is a party to' })
  async list(@CurrentPrincipal() p: Principal, @Query() q: AgreementListQuery) {
    const items = await this.register.list(agencyOfCaller(p), { status: q.status, limit: q.limit });
    return { items: items.map(withPending) };
  }

  @Get(':id')
  @ApiOperation({ summary: 'An agreement with every version' })
  async get(@CurrentPrincipal() p: Principal, @Param('id') id: string) {
    const versions = await this.register.versions(agencyOfCaller(p), id);
    if (versions.length === 0) throw new BrokerError('NOT_FOUND', 'no such agreement');
    return { id, latest: withPending(versions.at(-1)!), versions };
  }

  @Get(':id/versions/:version')
  async version(
    @CurrentPrincipal() p: Principal,
    @Param('id') id: string,
    @Param('version', ParseIntPipe) version: number,
  ): Promise<Agreement> {
    const found = await this.register.version(agencyOfCaller(p), id, version);
    if (!found) throw new BrokerError('NOT_FOUND', 'no such agreement version');
    return found;
  }

  @Get(':id/diff')
  @ApiOperation({ summary: 'Field-level differences between two versions' })
  async diff(@CurrentPrincipal() p: Principal, @Param('id') id: string, @Query() q: DiffQuery) {
    const agency = agencyOfCaller(p);
    const [from, to] = await Promise.all([
      this.register.version(agency, id, q.from),
      this.register.version(agency, id, q.to),
    ]);
    if (!from || !to) throw new BrokerError('NOT_FOUND', 'no such agreement version');
    const changes: FieldChange[] = diffVersions(from, to);
    return { id, from: q.from, to: q.to, changes };
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Edit a draft (or an agreement awaiting approval, which returns to draft)' })
  async edit(@CurrentPrincipal() p: Principal, @Param('id') id: string, @Body() dto: EditAgreementDto) {
    return withPending(await this.commands.edit(p, id, dto));
  }

  @Post(':id/simulate')
  @HttpCode(200)
  @ApiOperation({ summary: 'Counts of what would start or stop flowing if this version were active' })
  simulate(@CurrentPrincipal() p: Principal, @Param('id') id: string): Promise<Simulation> {
    return this.commands.simulate(p, id);
  }

  @Post(':id/submit')
  @HttpCode(200)
  async submit(@CurrentPrincipal() p: Principal, @Param('id') id: string) {
    return withPending(await this.commands.submit(p, id));
  }

  @Post(':id/approve')
  @HttpCode(200)
  async approve(@CurrentPrincipal() p: Principal, @Param('id') id: string) {
    return withPending(await this.commands.approve(p, id));
  }

  @Post(':id/activate')
  @HttpCode(200)
  async activate(@CurrentPrincipal() p: Principal, @Param('id') id: string) {
    return withPending(await this.commands.activate(p, id));
  }

  @Post(':id/suspend')
  @HttpCode(200)
  async suspend(@CurrentPrincipal() p: Principal, @Param('id') id: string, @Body() dto: ReasonDto) {
    return withPending(await this.commands.suspend(p, id, dto.reason));
  }

  @Post(':id/resume')
  @HttpCode(200)
  async resume(@CurrentPrincipal() p: Principal, @Param('id') id: string) {
    return withPending(await this.commands.resume(p, id));
  }

  @Post(':id/retire')
  @HttpCode(200)
  async retire(@CurrentPrincipal() p: Principal, @Param('id') id: string, @Body() dto: ReasonDto) {
    return withPending(await this.commands.retire(p, id, dto.reason));
  }
}

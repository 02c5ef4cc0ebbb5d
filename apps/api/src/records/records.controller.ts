import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Put, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { BrokerError, canonicalJson, sha256Hex } from '@joinedup/core';
import { IntakeRequestRepository, RecordChangeRepository } from '@joinedup/persistence';
import { DataSource } from 'typeorm';
import { CurrentPrincipal, RequireScopes } from '../auth/auth.decorators.js';
import type { Principal } from '../auth/principal.js';
import { intakeContext, requireAgency, today } from './calling-agency.js';
import { RecordIntakeService } from './record-intake.service.js';
import { PageQuery } from './page.query.js';

/** Single-record intake, reads and the change feed. Bulk NDJSON is in bulk-records.controller.ts. */
@ApiTags('records')
@ApiBearerAuth()
@Controller('v1')
export class RecordsController {
  private readonly changes: RecordChangeRepository;
  private readonly requests: IntakeRequestRepository;

  constructor(
    private readonly intake: RecordIntakeService,
    dataSource: DataSource,
  ) {
    this.changes = new RecordChangeRepository(dataSource);
    this.requests = new IntakeRequestRepository(dataSource);
  }

  /** Idempotent create or update: an identical repeat answers `unchanged`; an older version is refused (409). */
  @Put('records/:externalId')
  @RequireScopes('records:write')
  @HttpCode(200)
  async put(
    @CurrentPrincipal() principal: Principal,
    @Param('externalId') externalId: string,
    @Body() body: unknown,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Req() request: Request & { id?: string },
  ): Promise<unknown> {
    const agencyId = requireAgency(principal);
    // Only a request that names an Idempotency-Key needs its hash (the canonical form costs on every PUT).
    const requestHash = idempotencyKey ? sha256Hex(`PUT ${externalId} ${canonicalJson(body)}`) : '';
    if (idempotencyKey) {
      const stored = await this.requests.find(agencyId, idempotencyKey);
      if (stored && stored.requestHash !== requestHash) {
        throw new BrokerError('CONFLICT', 'this Idempotency-Key was used for a different request', {
          header: 'Idempotency-Key',
        });
      }
      if (stored) return stored.response;
    }
    const input = typeof body === 'object' && body !== null && !Array.isArray(body) ? { externalId, ...body } : body;
    if ((input as { externalId?: unknown }).externalId !== externalId) {
      throw new BrokerError('VALIDATION_FAILED', 'externalId in the body must match the path', [
        { field: 'externalId', reason: 'must match the path' },
      ]);
    }
    const prepared = this.intake.prepare(input, 1, agencyId, today());
    if (!('write' in prepared)) {
      if (prepared.status !== 'rejected') throw new Error('unreachable');
      throw new BrokerError(
        'VALIDATION_FAILED',
        `record is invalid: ${prepared.errors.map((e) => e.field).join(', ')}`,
        prepared.errors,
      );
    }
    const [result] = await this.intake.write(agencyId, [prepared], intakeContext(principal, request));
    if (!result) throw new Error('intake wrote nothing');
    if (result.status === 'rejected') throw new BrokerError('STALE_VERSION', result.errors[0]!.reason, result.errors);
    const answer = { ...result, line: undefined, status: result.status === 'accepted' ? 'created' : result.status };
    if (idempotencyKey)
      await this.requests.save(agencyId, idempotencyKey, { requestHash, statusCode: 200, response: answer });
    return answer;
  }

  /** The agency withdraws a record: it stops being matched or shared at once. */
  @Delete('records/:externalId')
  @RequireScopes('records:write')
  @HttpCode(200)
  async withdraw(
    @CurrentPrincipal() principal: Principal,
    @Param('externalId') externalId: string,
    @Req() request: Request & { id?: string },
  ): Promise<{ externalId: string; status: 'withdrawn'; version: number }> {
    const agencyId = requireAgency(principal);
    const done = await this.intake.withdraw(agencyId, externalId, intakeContext(principal, request));
    if (!done) throw new BrokerError('NOT_FOUND', 'no active record with this external id');
    return { externalId, status: 'withdrawn', version: done.version };
  }

  @Get('records/:externalId')
  @RequireScopes('records:read')
  async get(@CurrentPrincipal() principal: Principal, @Param('externalId') externalId: string): Promise<unknown> {
    const stored = await this.intake.records.get(requireAgency(principal), externalId);
    if (!stored) throw new BrokerError('NOT_FOUND', 'no record with this external id');
    return stored;
  }

  /** The agency's own records, paged by cursor (the last external id of the previous page). */
  @Get('records')
  @RequireScopes('records:read')
  async list(
    @CurrentPrincipal() principal: Principal,
    @Query() query: PageQuery,
  ): Promise<{ items: unknown[]; next: string | null }> {
    const items = await this.intake.records.list(requireAgency(principal), query.after, query.limit);
    return { items, next: items.length === query.limit ? items.at(-1)!.externalId : null };
  }

  /** What the broker did with the agency's records (accepted, withdrawn, linked, case opened...). */
  @Get('changes')
  @RequireScopes('records:read')
  async feed(
    @CurrentPrincipal() principal: Principal,
    @Query() query: PageQuery,
  ): Promise<{ items: unknown[]; next: string | null }> {
    if (query.after !== undefined && !/^\d{1,19}$/.test(query.after)) {
      throw new BrokerError('VALIDATION_FAILED', 'after must be a cursor from a previous page', [
        { field: 'after', reason: 'is not a cursor' },
      ]);
    }
    const items = await this.changes.page(requireAgency(principal), query.after, query.limit);
    return { items, next: items.length === query.limit ? items.at(-1)!.seq : null };
  }
}

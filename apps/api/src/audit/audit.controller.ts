import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { AuditPage, AuditVerification, StoredCheckpoint } from '@joinedup/audit';
import { CurrentPrincipal, RequireRoles } from '../auth/auth.decorators.js';
import type { Principal } from '../auth/principal.js';
import { AuditReads } from './audit-reads.service.js';
import { AuditSearchQuery } from './audit-search.dto.js';

/** The audit trail for IG officers and administrators. Every call here is itself audited. */
@ApiTags('audit')
@ApiBearerAuth()
@Controller('v1/audit')
@RequireRoles('platform-admin', 'agency-admin', 'ig-officer')
export class AuditController {
  constructor(private readonly reads: AuditReads) {}

  @Get('events')
  @ApiOperation({ summary: 'Search audit events, newest first, paged by cursor (seq)' })
  @ApiOkResponse({ description: '{ events, nextCursor }' })
  search(@CurrentPrincipal() principal: Principal, @Query() query: AuditSearchQuery): Promise<AuditPage> {
    return this.reads.search(principal, query);
  }

  @Get('verify')
  @ApiOperation({ summary: 'Verify the hash chain; names the first broken seq' })
  @ApiOkResponse({ description: '{ ok, checked, head, firstBroken?, checkpoints }' })
  verify(@CurrentPrincipal() principal: Principal): Promise<AuditVerification> {
    return this.reads.verify(principal);
  }

  @Get('checkpoints')
  @ApiOperation({ summary: 'Signed checkpoints of the chain head, oldest first' })
  async checkpoints(@CurrentPrincipal() principal: Principal): Promise<{ checkpoints: StoredCheckpoint[] }> {
    return { checkpoints: await this.reads.checkpoints(principal) };
  }

  @Get('export')
  @RequireRoles('platform-admin')
  @ApiOperation({ summary: 'The whole chain as NDJSON (header, checkpoints, events), verifiable offline' })
  @ApiProduces('application/x-ndjson')
  async export(@CurrentPrincipal() principal: Principal, @Res() response: Response): Promise<void> {
    const lines = await this.reads.export(principal);
    response.status(200).type('application/x-ndjson');
    response.setHeader('content-disposition', 'attachment; filename="audit-export.ndjson"');
    try {
      for await (const line of lines) {
        // Respect backpressure: a slow reader must not make the whole chain pile up in memory.
        if (!response.write(line)) await new Promise((resolve) => response.once('drain', resolve));
        if (response.destroyed) return;
      }
      response.end();
    } catch (error) {
      // Headers are gone; a cut-off file fails offline verification (the header's head is an anchor).
      response.destroy(error instanceof Error ? error : undefined);
    }
  }
}

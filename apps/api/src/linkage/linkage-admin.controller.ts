import { Controller, Get, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { LinkageRepository, withSystemScope } from '@joinedup/persistence';
import { auditActorOf, AuditTrail } from '../audit/audit-trail.service.js';
import { CurrentPrincipal, RequireRoles } from '../auth/auth.decorators.js';
import type { Principal } from '../auth/principal.js';

const EXPORT_PAGE = 5000;

/** The whole population's linkage, one line per live record (batch re-links: LinkageRunsController). */
@ApiTags('linkage: admin')
@ApiBearerAuth()
@RequireRoles('ig-officer', 'platform-admin')
@Controller('v1/admin/linkage')
export class LinkageAdminController {
  private readonly repo = new LinkageRepository();

  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditTrail,
  ) {}

  @Get('export')
  @ApiProduces('application/x-ndjson')
  @ApiOperation({ summary: 'NDJSON, one line per live source record: agency, externalId, personId, familyId' })
  async export(@CurrentPrincipal() p: Principal, @Res() response: Response): Promise<void> {
    // The export is recorded before the first line: a partial download still leaves its trace.
    await this.audit.record({ type: 'linkage.exported', actor: auditActorOf(p), details: {} });
    response.setHeader('content-type', 'application/x-ndjson');
    let after: string | null = null;
    for (;;) {
      const page = await withSystemScope(this.dataSource, (m) => this.repo.exportPage(m, after, EXPORT_PAGE));
      for (const r of page) {
        const line = `${JSON.stringify({ agency: r.agency, externalId: r.externalId, personId: r.personId, familyId: r.familyId })}\n`;
        if (!response.write(line)) await new Promise((resolve) => response.once('drain', resolve));
      }
      if (page.length < EXPORT_PAGE) break;
      after = page.at(-1)!.id;
    }
    response.end();
  }
}

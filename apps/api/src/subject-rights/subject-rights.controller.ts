import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, RequireRoles } from '../auth/auth.decorators.js';
import type { Principal } from '../auth/principal.js';
import { ApplySubjectRight } from './apply-subject-right.usecase.js';
import { ExportSubjectAccess } from './export-subject-access.usecase.js';
import { SubjectQuery, subjectRefOf, SubjectRightsRequestDto } from './subject-rights.dto.js';

/** Subject rights for IG officers and the platform admin; every call is audited. */
@ApiTags('subject rights')
@ApiBearerAuth()
@Controller('v1')
@RequireRoles('ig-officer', 'platform-admin')
export class SubjectRightsController {
  constructor(
    private readonly access: ExportSubjectAccess,
    private readonly rights: ApplySubjectRight,
  ) {}

  @Get('subject-access')
  @ApiOperation({ summary: 'Subject access export: records, decisions, disclosures and consent, exemptions withheld' })
  @ApiOkResponse({ description: '{ subject, records, decisions, events, consents, withheld, truncated }' })
  export(@CurrentPrincipal() principal: Principal, @Query() query: SubjectQuery) {
    return this.access.execute(principal, subjectRefOf(query));
  }

  @Post('subject-rights/erase')
  @HttpCode(200)
  @ApiOperation({ summary: "Erase a person's records where the agreements' lawful basis allows it" })
  @ApiOkResponse({ description: '{ outcomes: [{ record, outcome: erased | refused | ..., reasons }], propagated }' })
  erase(@CurrentPrincipal() principal: Principal, @Body() body: SubjectRightsRequestDto) {
    return this.rights.execute(principal, 'erase', subjectRefOf(body), body.reason);
  }

  @Post('subject-rights/restrict')
  @HttpCode(200)
  @ApiOperation({ summary: "Restrict a person's records: kept, but out of matching and disclosure" })
  @ApiOkResponse({ description: '{ outcomes: [{ record, outcome: restricted | ..., reasons }], propagated }' })
  restrict(@CurrentPrincipal() principal: Principal, @Body() body: SubjectRightsRequestDto) {
    return this.rights.execute(principal, 'restrict', subjectRefOf(body), body.reason);
  }
}

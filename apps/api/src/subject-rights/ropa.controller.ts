import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, RequireRoles } from '../auth/auth.decorators.js';
import type { Principal } from '../auth/principal.js';
import { ReadRopa } from './read-ropa.usecase.js';

@ApiTags('governance: record of processing')
@ApiBearerAuth()
@Controller('v1/governance/ropa')
@RequireRoles('ig-officer', 'platform-admin')
export class RopaController {
  constructor(private readonly ropa: ReadRopa) {}

  @Get()
  @ApiOperation({ summary: 'Record of processing activities (UK GDPR Art 30) from the agreements in force' })
  @ApiOkResponse({ description: '{ generatedAt, processor, activities }' })
  read(@CurrentPrincipal() principal: Principal) {
    return this.ropa.execute(principal);
  }
}

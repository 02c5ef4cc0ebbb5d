import { Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { BrokerKeysService } from './broker-keys.service.js';
import { CurrentPrincipal, RequireRoles } from './auth.decorators.js';
import type { Principal } from './principal.js';
import { SecurityEvents } from './security-events.js';
import { auditActorOf } from '../audit/audit-trail.service.js';

/** Broker key rotation: a new key signs at once; old ones verify until retired. */
@ApiTags('admin: keys')
@ApiBearerAuth()
@Controller('v1/admin/keys')
@RequireRoles('platform-admin')
export class KeysController {
  constructor(
    private readonly keys: BrokerKeysService,
    private readonly security: SecurityEvents,
  ) {}

  /** Every key with its status (public parts only by omission: no key material at all). */
  @Get()
  list(): Promise<{ kid: string; alg: string; status: string }[]> {
    return this.keys.list();
  }

  @Post('rotate')
  @HttpCode(200)
  async rotate(@CurrentPrincipal() actor: Principal): Promise<{ kid: string; previous: string[] }> {
    const result = await this.keys.rotate();
    await this.security.record({ type: 'keys.rotated', actor: auditActorOf(actor), details: result });
    return result;
  }

  @Post(':kid/retire')
  @HttpCode(204)
  async retire(@CurrentPrincipal() actor: Principal, @Param('kid') kid: string): Promise<void> {
    await this.keys.retire(kid);
    await this.security.record({ type: 'keys.retired', actor: auditActorOf(actor), details: { kid } });
  }
}

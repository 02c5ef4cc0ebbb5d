import { Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { RequireRoles } from './auth.decorators.js';
import { BrokerKeysService } from './broker-keys.service.js';
import { recordSecurityEvent } from './security-events.js';

/** Broker key rotation: a new key signs at once; old ones verify until retired. */
@ApiTags('admin: keys')
@ApiBearerAuth()
@Controller('v1/admin/keys')
@RequireRoles('platform-admin')
export class KeysController {
  constructor(private readonly keys: BrokerKeysService) {}

  @Post('rotate')
  @HttpCode(200)
  async rotate(): Promise<{ kid: string; previous: string[] }> {
    const result = await this.keys.rotate();
    recordSecurityEvent({ type: 'keys.rotated', details: result });
    return result;
  }

  @Post(':kid/retire')
  @HttpCode(204)
  async retire(@Param('kid') kid: string): Promise<void> {
    await this.keys.retire(kid);
    recordSecurityEvent({ type: 'keys.retired', details: { kid } });
  }
}

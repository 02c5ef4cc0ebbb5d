import { Global, Module } from '@nestjs/common';
import { ClientAssertionService } from '../oauth/client-assertion.service.js';
import { OAuthController } from '../oauth/oauth.controller.js';
import { RegistryController } from '../registry/registry.controller.js';
import { AccessTokensService } from './access-tokens.service.js';
import { BrokerKeysService } from './broker-keys.service.js';
import { KeysController } from './keys.controller.js';
import { SecurityEvents } from './security-events.js';
import { SignInController } from './sign-in.controller.js';

@Global()
@Module({
  controllers: [OAuthController, SignInController, KeysController, RegistryController],
  providers: [BrokerKeysService, AccessTokensService, ClientAssertionService, SecurityEvents],
  exports: [AccessTokensService, BrokerKeysService, SecurityEvents],
})
export class AuthModule {}

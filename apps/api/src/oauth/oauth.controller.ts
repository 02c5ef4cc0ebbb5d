import { Body, Controller, Get, Header, HttpCode, Inject, Post, Res, UseFilters } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { BROKER_CONFIG, type BrokerConfig } from '@joinedup/config';
import { AccessTokensService, ACCESS_TOKEN_SECONDS } from '../auth/access-tokens.service.js';
import { BrokerKeysService } from '../auth/broker-keys.service.js';
import { SCOPES } from '../auth/principal.js';
import { Public } from '../auth/public.decorator.js';
import { SecurityEvents } from '../auth/security-events.js';
import { ASSERTION_ALGORITHMS, CLIENT_ASSERTION_TYPE, ClientAssertionService } from './client-assertion.service.js';
import { OAuthError } from './oauth-error.js';
import { OAuthErrorFilter } from './oauth-error.filter.js';

/** The token endpoint (client credentials + private_key_jwt) and the broker's published metadata. */
@ApiTags('oauth')
@Controller()
@Public()
export class OAuthController {
  constructor(
    @Inject(BROKER_CONFIG) private readonly config: BrokerConfig,
    private readonly assertions: ClientAssertionService,
    private readonly tokens: AccessTokensService,
    private readonly keys: BrokerKeysService,
    private readonly security: SecurityEvents,
  ) {}

  @Post('oauth/token')
  @HttpCode(200)
  @UseFilters(OAuthErrorFilter)
  @Header('Cache-Control', 'no-store')
  @Header('Pragma', 'no-cache')
  async token(
    @Body() body: Record<string, unknown>,
    @Res({ passthrough: true }) response: Response,
  ): Promise<Record<string, unknown>> {
    void response;
    const form = body ?? {};
    const param = (name: string): string | undefined =>
      typeof form[name] === 'string' ? (form[name] as string) : undefined;
    if (param('grant_type') !== 'client_credentials') {
      throw new OAuthError(
        param('grant_type') ? 'unsupported_grant_type' : 'invalid_request',
        'grant_type must be client_credentials',
      );
    }
    if (param('client_assertion_type') !== CLIENT_ASSERTION_TYPE || !param('client_assertion')) {
      throw new OAuthError(
        'invalid_client',
        `client authentication must be private_key_jwt (client_assertion_type ${CLIENT_ASSERTION_TYPE})`,
      );
    }
    let client;
    try {
      client = await this.assertions.verify(param('client_assertion')!, param('client_id'));
    } catch (error) {
      if (error instanceof OAuthError)
        await this.security.record({ type: 'token.refused', details: { reason: error.description } });
      throw error;
    }
    const requested = param('scope')?.split(' ').filter(Boolean);
    const scopes = requested ?? client.scopes;
    const unknown = scopes.filter((s) => !client.scopes.includes(s));
    if (unknown.length > 0)
      throw new OAuthError('invalid_scope', `scope not granted to this client: ${unknown.join(' ')}`);
    const accessToken = await this.tokens.issue(client.clientId, {
      kind: 'client',
      agency: client.agencyId,
      client_id: client.clientId,
      scope: scopes.join(' '),
    });
    await this.security.record({
      type: 'token.issued',
      agencyId: client.agencyId,
      actor: { kind: 'agency-client', id: client.clientId, agency: client.agencyId },
      details: { scopes },
    });
    return {
      access_token: accessToken,
      token_type: 'Bearer',
      expires_in: ACCESS_TOKEN_SECONDS,
      scope: scopes.join(' '),
    };
  }

  @Get('.well-known/jwks.json')
  async jwks(): Promise<{ keys: unknown[] }> {
    return this.keys.publicJwks();
  }

  /** RFC 8414 metadata, so standard OAuth clients configure themselves. */
  @Get('.well-known/oauth-authorization-server')
  metadata(): Record<string, unknown> {
    const issuer = this.config.publicUrl;
    return {
      issuer,
      token_endpoint: `${issuer}/oauth/token`,
      jwks_uri: `${issuer}/.well-known/jwks.json`,
      grant_types_supported: ['client_credentials'],
      token_endpoint_auth_methods_supported: ['private_key_jwt'],
      token_endpoint_auth_signing_alg_values_supported: ASSERTION_ALGORITHMS,
      scopes_supported: [...SCOPES],
      response_types_supported: ['token'],
    };
  }
}

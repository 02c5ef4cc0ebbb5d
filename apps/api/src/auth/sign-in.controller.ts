import { Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { createHash, timingSafeEqual } from 'node:crypto';
import { DataSource } from 'typeorm';
import { BROKER_CONFIG, type BrokerConfig } from '@joinedup/config';
import { BrokerError } from '@joinedup/core';
import { RegistryRepository } from '@joinedup/persistence';
import { SignInDto } from '../registry/registry.dto.js';
import { ACCESS_TOKEN_SECONDS, AccessTokensService } from './access-tokens.service.js';
import { verifyPassword } from './passwords.js';
import { Public } from './public.decorator.js';
import { SecurityEvents } from './security-events.js';

const digest = (s: string): Buffer => createHash('sha256').update(s).digest();

/**
 * Direct sign-in for people (the console): email + password (scrypt) -> a short-lived broker token.
 * The platform admin is the one bootstrapped from configuration (BOOTSTRAP_ADMIN_*), never stored.
 */
@ApiTags('auth')
@Controller('v1/auth')
export class SignInController {
  private readonly registry: RegistryRepository;

  constructor(
    @Inject(BROKER_CONFIG) private readonly config: BrokerConfig,
    private readonly tokens: AccessTokensService,
    private readonly security: SecurityEvents,
    dataSource: DataSource,
  ) {
    this.registry = new RegistryRepository(dataSource);
  }

  @Post('sign-in')
  @Public()
  @HttpCode(200)
  async signIn(@Body() dto: SignInDto): Promise<{ access_token: string; token_type: 'Bearer'; expires_in: number }> {
    const admin = this.config.bootstrapAdmin;
    if (admin && dto.email.toLowerCase() === admin.email.toLowerCase()) {
      if (!timingSafeEqual(digest(dto.password), digest(admin.password))) return this.refuse();
      await this.security.record({ type: 'sign-in.succeeded', actor: { kind: 'person', id: 'platform-admin' } });
      const token = await this.tokens.issue(`platform-admin:${admin.email}`, {
        kind: 'platform-admin',
        roles: ['platform-admin'],
      });
      return { access_token: token, token_type: 'Bearer', expires_in: ACCESS_TOKEN_SECONDS };
    }
    const person = await this.registry.findPersonForSignIn(dto.email);
    if (!(await verifyPassword(dto.password, person?.passwordHash ?? null)) || !person) return this.refuse();
    await this.security.record({
      type: 'sign-in.succeeded',
      agencyId: person.agencyId,
      actor: { kind: 'person', id: person.id, agency: person.agencyId },
    });
    const token = await this.tokens.issue(person.id, { kind: 'person', agency: person.agencyId, roles: person.roles });
    return { access_token: token, token_type: 'Bearer', expires_in: ACCESS_TOKEN_SECONDS };
  }

  /** The attempted e-mail address is not recorded: it is personal data, and often someone else's. */
  private async refuse(): Promise<never> {
    await this.security.record({ type: 'sign-in.failed' });
    throw new BrokerError('UNAUTHENTICATED', 'email or password is not right');
  }
}

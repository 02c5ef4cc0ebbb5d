import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import type { Response } from 'express';
import { BROKER_CONFIG, type BrokerConfig } from '@joinedup/config';
import { BrokerError } from '@joinedup/core';
import type { Principal } from '../auth/principal.js';
import { RedisRateCounter } from './redis-rate-counter.js';

const WINDOW_MS = 60_000;

/**
 * Rate limits per caller: an agency client by its client id, a person by their id, unauthenticated
 * routes (token endpoint, sign-in) by address. Runs after the auth guard, which sets the principal.
 * (@nestjs/throttler 6 is CommonJS and requires the ESM-only @nestjs/common 12, which Jest cannot load;
 * this guard does the same job on the shared Redis.)
 */
@Injectable()
export class RateLimitGuard implements CanActivate {
  constructor(
    private readonly counter: RedisRateCounter,
    @Inject(BROKER_CONFIG) private readonly config: BrokerConfig,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const http = context.switchToHttp();
    const request = http.getRequest<{ principal?: Principal; ip?: string; path?: string }>();
    if (request.path?.startsWith('/health')) return true;
    const principal = request.principal;
    const tracker =
      principal?.kind === 'client'
        ? `client:${principal.clientId}`
        : principal
          ? `person:${principal.personId}`
          : `ip:${request.ip ?? 'unknown'}`;
    const { hits, secondsLeft } = await this.counter.hit(tracker, WINDOW_MS);
    const response = http.getResponse<Response>();
    response.setHeader('RateLimit-Limit', String(this.config.rateLimitPerMinute));
    response.setHeader('RateLimit-Remaining', String(Math.max(0, this.config.rateLimitPerMinute - hits)));
    if (hits <= this.config.rateLimitPerMinute) return true;
    response.setHeader('Retry-After', String(secondsLeft));
    throw new BrokerError('RATE_LIMITED', `too many requests: at most ${this.config.rateLimitPerMinute} a minute`, {
      retryAfterSeconds: secondsLeft,
    });
  }
}

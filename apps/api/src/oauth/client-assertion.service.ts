import { Inject, Injectable } from '@nestjs/common';
import { createLocalJWKSet, createRemoteJWKSet, decodeJwt, errors, type JWTVerifyGetKey, jwtVerify } from 'jose';
import type { Redis } from 'ioredis';
import { DataSource } from 'typeorm';
import { BROKER_CONFIG, type BrokerConfig } from '@joinedup/config';
import { REDIS } from '@joinedup/messaging';
import { withSystemScope } from '@joinedup/persistence';
import { OAuthError } from './oauth-error.js';

export const CLIENT_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
export const ASSERTION_ALGORITHMS = ['ES256', 'RS256', 'PS256', 'EdDSA'];
const MAX_LIFETIME_S = 300;
const CLOCK_TOLERANCE_S = 5;

export interface VerifiedClient {
  clientId: string;
  agencyId: string;
  scopes: string[];
}

interface ClientRow {
  client_id: string;
  agency_id: string;
  jwks: { keys: Record<string, unknown>[] } | null;
  jwks_uri: string | null;
  scopes: string[];
  enabled: boolean;
}

/**
 * RFC 7523 client authentication: the assertion must be signed by a key registered for the client, with
 * an allowed algorithm, `iss` = `sub` = client id, `aud` = the token endpoint or issuer, `exp` no more
 * than 5 minutes ahead, and a `jti` never seen before (kept in Redis until the assertion expires).
 * Header parameters that point at keys (`jku`, `x5u`, `jwk`) are never followed: keys come only from
 * the registry.
 */
@Injectable()
export class ClientAssertionService {
  private readonly remoteSets = new Map<string, JWTVerifyGetKey>();

  constructor(
    @Inject(BROKER_CONFIG) private readonly config: BrokerConfig,
    @Inject(REDIS) private readonly redis: Redis,
    private readonly dataSource: DataSource,
  ) {}

  get tokenEndpoint(): string {
    return `${this.config.publicUrl}/oauth/token`;
  }

  async verify(assertion: string, clientIdParam?: string): Promise<VerifiedClient> {
    let claimed: string | undefined;
    try {
      claimed = decodeJwt(assertion).iss;
    } catch {
      throw new OAuthError('invalid_client', 'client_assertion is not a JWT');
    }
    if (!claimed || (clientIdParam && clientIdParam !== claimed)) {
      throw new OAuthError('invalid_client', 'client_assertion iss must be the client id');
    }
    const client = await this.findClient(claimed);
    if (!client || !client.enabled) throw new OAuthError('invalid_client', 'unknown or disabled client');

    let payload;
    try {
      ({ payload } = await jwtVerify(assertion, this.keySet(client), {
        algorithms: ASSERTION_ALGORITHMS,
        issuer: client.client_id,
        subject: client.client_id,
        audience: [this.tokenEndpoint, this.config.publicUrl],
        requiredClaims: ['exp', 'jti'],
        clockTolerance: CLOCK_TOLERANCE_S,
      }));
    } catch (error) {
      throw new OAuthError('invalid_client', describe(error));
    }
    const now = Math.floor(Date.now() / 1000);
    if (payload.exp! - now > MAX_LIFETIME_S + CLOCK_TOLERANCE_S) {
      throw new OAuthError('invalid_client', `client_assertion exp must be at most ${MAX_LIFETIME_S} seconds ahead`);
    }
    const jtiKey = `${this.config.redisPrefix}:oauth:jti:${client.client_id}:${payload.jti}`;
    const ttl = Math.max(1, payload.exp! - now + CLOCK_TOLERANCE_S);
    const fresh = await this.redis.set(jtiKey, '1', 'EX', ttl, 'NX');
    if (fresh !== 'OK') throw new OAuthError('invalid_client', 'client_assertion jti was already used (replay)');
    return { clientId: client.client_id, agencyId: client.agency_id, scopes: client.scopes };
  }

  private keySet(client: ClientRow): JWTVerifyGetKey {
    if (client.jwks) return createLocalJWKSet(client.jwks as never);
    if (!client.jwks_uri) throw new OAuthError('invalid_client', 'the client has no keys registered');
    let set = this.remoteSets.get(client.jwks_uri);
    if (!set) {
      set = createRemoteJWKSet(new URL(client.jwks_uri), { cacheMaxAge: 10 * 60_000, cooldownDuration: 30_000 });
      this.remoteSets.set(client.jwks_uri, set);
    }
    return set;
  }

  private async findClient(clientId: string): Promise<ClientRow | null> {
    const rows: ClientRow[] = await withSystemScope(this.dataSource, (manager) =>
      manager.query(
        `SELECT client_id, agency_id, jwks, jwks_uri, scopes, enabled FROM api_client WHERE client_id = $1`,
        [clientId],
      ),
    );
    return rows[0] ?? null;
  }
}

function describe(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'client_assertion has expired';
  if (error instanceof errors.JWTClaimValidationFailed)
    return `client_assertion claim ${error.claim} is invalid (${error.reason})`;
  if (error instanceof errors.JOSEAlgNotAllowed) return 'client_assertion algorithm is not allowed';
  if (error instanceof errors.JWKSNoMatchingKey)
    return 'no registered key of the client matches the assertion (kid or algorithm)';
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'client_assertion signature does not verify';
  if (error instanceof errors.JOSEError) return `client_assertion is invalid (${error.code})`;
  return 'client_assertion could not be verified';
}

import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { errors, jwtVerify, SignJWT, type JWTPayload } from 'jose';
import { BROKER_CONFIG, type BrokerConfig } from '@joinedup/config';
import { BrokerError } from '@joinedup/core';
import { BROKER_ALG, BrokerKeysService } from './broker-keys.service.js';

export const ACCESS_TOKEN_SECONDS = 600;
/** How long a verified token is taken on trust before its signature is checked again. */
const VERIFIED_MS = 60_000;
const VERIFIED_MAX = 10_000;

/** What a broker access token asserts. `sub` is the client id or the person id. */
export interface AccessClaims {
  kind: 'client' | 'person' | 'platform-admin';
  agency?: string;
  client_id?: string;
  scope?: string;
  roles?: string[];
}

/** Short-lived access tokens signed with the broker's active key (RFC 9068 `at+jwt`). */
@Injectable()
export class AccessTokensService {
  /**
   * Tokens whose signature was checked, by the token itself. An agency system sends the same token with
   * every request until it expires, and the ECDSA check cost a fifth of the api's CPU under load. An entry
   * holds only while the key set that verified it is the current one (a retired key ends it at once)
   * and never past the token's `exp`.
   */
  private readonly verified = new Map<string, { claims: JWTPayload & AccessClaims; until: number; keys: unknown }>();

  constructor(
    @Inject(BROKER_CONFIG) private readonly config: BrokerConfig,
    private readonly keys: BrokerKeysService,
  ) {}

  async issue(subject: string, claims: AccessClaims, seconds = ACCESS_TOKEN_SECONDS): Promise<string> {
    const { kid, key } = await this.keys.signingKey();
    return new SignJWT({ ...claims })
      .setProtectedHeader({ alg: BROKER_ALG, kid, typ: 'at+jwt' })
      .setIssuer(this.config.publicUrl)
      .setAudience(this.config.publicUrl)
      .setSubject(subject)
      .setIssuedAt()
      .setExpirationTime(`${seconds}s`)
      .setJti(randomUUID())
      .sign(key);
  }

  /** Verifies a bearer token: broker keys only, ES256 only, `exp` required. */
  async verify(token: string): Promise<JWTPayload & AccessClaims> {
    const options = {
      algorithms: [BROKER_ALG],
      issuer: this.config.publicUrl,
      audience: this.config.publicUrl,
      typ: 'at+jwt',
      requiredClaims: ['exp', 'sub'],
    };
    const keys = await this.keys.verificationKeys();
    const known = this.verified.get(token);
    if (known && known.keys === keys && Date.now() < known.until) return known.claims;
    try {
      const claims = (await jwtVerify(token, keys, options)).payload as JWTPayload & AccessClaims;
      this.remember(token, claims, keys);
      return claims;
    } catch (error) {
      if (error instanceof errors.JWKSNoMatchingKey) {
        // Another replica may have rotated a moment ago.
        try {
          return (await jwtVerify(token, await this.keys.verificationKeys(true), options)).payload as JWTPayload &
            AccessClaims;
        } catch {
          /* fall through */
        }
      }
      throw new BrokerError(
        'UNAUTHENTICATED',
        error instanceof errors.JWTExpired ? 'the access token has expired' : 'the access token is not valid',
      );
    }
  }

  private remember(token: string, claims: JWTPayload & AccessClaims, keys: unknown): void {
    if (this.verified.size >= VERIFIED_MAX) this.verified.delete(this.verified.keys().next().value!);
    const until = Math.min(Date.now() + VERIFIED_MS, (claims.exp ?? 0) * 1000);
    this.verified.set(token, { claims: Object.freeze(claims), until, keys });
  }
}

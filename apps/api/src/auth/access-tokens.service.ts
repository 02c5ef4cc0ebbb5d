import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { errors, jwtVerify, SignJWT, type JWTPayload } from 'jose';
import { BROKER_CONFIG, type BrokerConfig } from '@joinedup/config';
import { BrokerError } from '@joinedup/core';
import { BROKER_ALG, BrokerKeysService } from './broker-keys.service.js';

export const ACCESS_TOKEN_SECONDS = 600;

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
    try {
      return (await jwtVerify(token, await this.keys.verificationKeys(), options)).payload as JWTPayload & AccessClaims;
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
}

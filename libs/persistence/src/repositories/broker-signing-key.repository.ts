import type { DataSource } from 'typeorm';
import { withSystemScope } from '../scope.js';

/** A JSON Web Key as stored (jsonb); this lib does not interpret it. */
export type StoredJwk = Record<string, unknown>;

export interface BrokerSigningKeyRow {
  kid: string;
  alg: string;
  publicJwk: StoredJwk;
  privateJwk: StoredJwk;
  status: 'active' | 'verify-only' | 'retired';
}

/**
 * The broker's own signing keys, read the same way by the api (access tokens) and the worker (audit
 * checkpoints). Creating and rotating keys stays with the api's BrokerKeysService.
 */
export class BrokerSigningKeyRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Every key, oldest first, retired ones included. */
  async all(): Promise<BrokerSigningKeyRow[]> {
    return withSystemScope(this.dataSource, (manager) =>
      manager.query(
        `SELECT kid, alg, public_jwk AS "publicJwk", private_jwk AS "privateJwk", status
         FROM broker_signing_key ORDER BY created_at`,
      ),
    );
  }

  /** The one key that signs now; null before the api has created the first. */
  async active(): Promise<BrokerSigningKeyRow | null> {
    return (await this.all()).find((k) => k.status === 'active') ?? null;
  }
}

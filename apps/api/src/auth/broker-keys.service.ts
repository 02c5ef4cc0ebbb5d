import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { createLocalJWKSet, exportJWK, generateKeyPair, importJWK, type JWK, type JWTVerifyGetKey } from 'jose';
import { DataSource } from 'typeorm';
import { BrokerError } from '@joinedup/core';
import {
  BrokerSigningKeyRepository,
  type BrokerSigningKeyRow,
  queryRows,
  withSystemScope,
} from '@joinedup/persistence';

export const BROKER_ALG = 'ES256';
const CACHE_MS = 30_000;
type SigningKey = Awaited<ReturnType<typeof importJWK>>;

/**
 * The broker's signing keys, kept in PostgreSQL so every api replica signs and verifies alike. A short
 * cache saves a query per request; an unknown `kid` refreshes it at once (a replica that rotated).
 */
@Injectable()
export class BrokerKeysService implements OnApplicationBootstrap {
  private cache: { at: number; keys: BrokerSigningKeyRow[] } | null = null;
  private readonly store: BrokerSigningKeyRepository;

  constructor(private readonly dataSource: DataSource) {
    this.store = new BrokerSigningKeyRepository(dataSource);
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.ensureActiveKey();
  }

  /** Creates the first key when there is none (replicas racing take turns on an advisory lock). */
  async ensureActiveKey(): Promise<void> {
    await withSystemScope(this.dataSource, async (manager) => {
      await manager.query(`SELECT pg_advisory_xact_lock(hashtext('joinedup.broker_signing_key'))`);
      const active = await manager.query(`SELECT 1 FROM broker_signing_key WHERE status = 'active'`);
      if (active.length === 0) await this.insertKey(manager.query.bind(manager));
    });
    this.cache = null;
  }

  /** A new key signs from now on; the old one verifies until it is retired. */
  async rotate(): Promise<{ kid: string; previous: string[] }> {
    const result = await withSystemScope(this.dataSource, async (manager) => {
      await manager.query(`SELECT pg_advisory_xact_lock(hashtext('joinedup.broker_signing_key'))`);
      const previous = await queryRows<{ kid: string }>(
        manager,
        `UPDATE broker_signing_key SET status = 'verify-only' WHERE status = 'active' RETURNING kid`,
      );
      const kid = await this.insertKey(manager.query.bind(manager));
      return { kid, previous: previous.map((p) => p.kid) };
    });
    this.cache = null;
    return result;
  }

  async retire(kid: string): Promise<void> {
    const rows = await withSystemScope(this.dataSource, (manager) =>
      queryRows<{ kid: string }>(
        manager,
        `UPDATE broker_signing_key SET status = 'retired', retired_at = now() WHERE kid = $1 AND status = 'verify-only' RETURNING kid`,
        [kid],
      ),
    );
    if (rows.length === 0)
      throw new BrokerError(
        'NOT_FOUND',
        'no verify-only key with this kid (the active key cannot be retired: rotate first)',
      );
    this.cache = null;
  }

  async signingKey(): Promise<{ kid: string; key: SigningKey }> {
    const active = (await this.keys()).find((k) => k.status === 'active');
    if (!active) throw new BrokerError('INTERNAL', 'the broker has no active signing key');
    return { kid: active.kid, key: await importJWK(active.privateJwk as JWK, BROKER_ALG) };
  }

  /** Every key, oldest first, with its status and no key material (the admin's list). */
  async list(): Promise<{ kid: string; alg: string; status: string }[]> {
    return (await this.keys(true)).map(({ kid, alg, status }) => ({ kid, alg, status }));
  }

  /** Public keys that verify: active and verify-only. */
  async publicJwks(forceRefresh = false): Promise<{ keys: JWK[] }> {
    return publicSet(await this.keys(forceRefresh));
  }

  /**
   * The key set that verifies access tokens, kept while the keys are: jose imports each key once per set,
   * and importing one per request cost more than the verification itself.
   */
  async verificationKeys(forceRefresh = false): Promise<JWTVerifyGetKey> {
    const keys = await this.keys(forceRefresh);
    if (this.verifier?.keys !== keys) this.verifier = { keys, get: createLocalJWKSet(publicSet(keys)) };
    return this.verifier.get;
  }

  private verifier?: { keys: BrokerSigningKeyRow[]; get: JWTVerifyGetKey };

  private async keys(forceRefresh = false): Promise<BrokerSigningKeyRow[]> {
    if (!forceRefresh && this.cache && Date.now() - this.cache.at < CACHE_MS) return this.cache.keys;
    const keys = await this.store.all();
    this.cache = { at: Date.now(), keys };
    return keys;
  }

  private async insertKey(query: (sql: string, params: unknown[]) => Promise<unknown>): Promise<string> {
    const { publicKey, privateKey } = await generateKeyPair(BROKER_ALG, { extractable: true });
    const kid = `broker-${randomUUID()}`;
    await query(
      `INSERT INTO broker_signing_key (kid, alg, public_jwk, private_jwk, status) VALUES ($1, $2, $3, $4, 'active')`,
      [kid, BROKER_ALG, await exportJWK(publicKey), await exportJWK(privateKey)],
    );
    return kid;
  }
}

function publicSet(keys: readonly BrokerSigningKeyRow[]): { keys: JWK[] } {
  return {
    keys: keys
      .filter((k) => k.status !== 'retired')
      .map((k) => ({ ...(k.publicJwk as JWK), kid: k.kid, alg: k.alg, use: 'sig' })),
  };
}

import { BrokerError } from '@joinedup/core';

const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k', 'oth'];
const KTY = new Set(['EC', 'RSA', 'OKP']);

/** A client's keys must be public keys with a kid; private material is refused, not stored. */
export function assertPublicJwks(jwks: { keys: Record<string, unknown>[] }): void {
  jwks.keys.forEach((key, i) => {
    if (PRIVATE_MEMBERS.some((m) => m in key)) {
      throw new BrokerError('VALIDATION_FAILED', 'jwks must hold public keys only', [
        { field: `jwks.keys[${i}]`, reason: 'contains private key material' },
      ]);
    }
    if (!KTY.has(String(key.kty)))
      throw new BrokerError('VALIDATION_FAILED', 'unsupported key type', [
        { field: `jwks.keys[${i}].kty`, reason: 'must be EC, RSA or OKP' },
      ]);
    if (typeof key.kid !== 'string' || key.kid.length === 0) {
      throw new BrokerError('VALIDATION_FAILED', 'every key needs a kid', [
        { field: `jwks.keys[${i}].kid`, reason: 'is required' },
      ]);
    }
  });
}

import { AuditSequencer } from './audit-sequencer.js';
import { CompactSign, compactVerify, createLocalJWKSet, type JSONWebKeySet, type KeyInput } from 'jose';
import type { DataSource } from 'typeorm';
import { BrokerError, type Clock } from '@joinedup/core';
import {
  insertCheckpoint,
  readAuditJwks,
  readChainHead,
  readEvents,
  readLatestCheckpoint,
  type StoredCheckpoint,
} from './audit-store.js';
import { verifyChain, type ChainBreakReason, type ChainVerification } from './hash-chain.js';

export const CHECKPOINT_ALG = 'ES256';
/** The JWS `typ`, so a checkpoint can never be taken for an access token signed by the same key. */
export const CHECKPOINT_TYP = 'joinedup-audit-checkpoint+jws';

/** The signed statement: "event `seq` had hash `hash`", made at `at`. */
export interface AuditCheckpoint {
  seq: number;
  hash: string;
  at: string;
}

/** BrokerKeysService (apps/api) satisfies this. */
export interface CheckpointSigner {
  signingKey(): Promise<{ kid: string; key: KeyInput }>;
}

export async function signCheckpoint(checkpoint: AuditCheckpoint, signer: CheckpointSigner): Promise<StoredCheckpoint> {
  const { kid, key } = await signer.signingKey();
  const payload = { seq: checkpoint.seq, hash: checkpoint.hash, at: checkpoint.at };
  const jws = await new CompactSign(new TextEncoder().encode(JSON.stringify(payload)))
    .setProtectedHeader({ alg: CHECKPOINT_ALG, kid, typ: CHECKPOINT_TYP })
    .sign(key);
  return { ...payload, kid, jws };
}

function isCheckpoint(value: unknown): value is AuditCheckpoint {
  const v = value as Partial<AuditCheckpoint> | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    Number.isSafeInteger(v.seq) &&
    typeof v.hash === 'string' &&
    /^[0-9a-f]{64}$/.test(v.hash) &&
    typeof v.at === 'string'
  );
}

/** The checkpoint a JWS signs, when one of `jwks` signed it as a checkpoint; throws otherwise. */
export async function verifyCheckpoint(jws: string, jwks: JSONWebKeySet): Promise<StoredCheckpoint> {
  let verified: Awaited<ReturnType<typeof compactVerify>>;
  try {
    verified = await compactVerify(jws, createLocalJWKSet(jwks), { algorithms: [CHECKPOINT_ALG] });
  } catch (error) {
    throw new BrokerError('VALIDATION_FAILED', 'audit checkpoint: signature does not verify', {
      reason: error instanceof Error ? error.message : String(error),
    });
  }
  if (verified.protectedHeader.typ !== CHECKPOINT_TYP)
    throw new BrokerError('VALIDATION_FAILED', 'audit checkpoint: not a checkpoint (typ)');
  let payload: unknown;
  try {
    payload = JSON.parse(new TextDecoder().decode(verified.payload));
  } catch {
    payload = null;
  }
  if (!isCheckpoint(payload)) throw new BrokerError('VALIDATION_FAILED', 'audit checkpoint: malformed payload');
  return { seq: payload.seq, hash: payload.hash, at: payload.at, kid: verified.protectedHeader.kid ?? '', jws };
}

export type CheckpointOutcome =
  | { status: 'created'; checkpoint: StoredCheckpoint }
  | { status: 'unchanged'; checkpoint: StoredCheckpoint }
  | { status: 'empty' }
  | { status: 'refused'; verification: ChainVerification };

/**
 * Signs the chain's current head, after verifying the events since the previous checkpoint (whose own
 * signature is checked first): the broker never vouches for a chain that is already broken. Meant to
 * run on a schedule; cheap when run often, since it only reads what is new.
 */
export async function createCheckpoint(
  dataSource: DataSource,
  signer: CheckpointSigner,
  clock: Clock,
): Promise<CheckpointOutcome> {
  // Events committed but not yet chained (a crash between a commit and its flush) are signed too.
  await AuditSequencer.of(dataSource).flush();
  const head = await readChainHead(dataSource);
  if (!head) return { status: 'empty' };
  const previous = await readLatestCheckpoint(dataSource);
  if (previous) await verifyCheckpoint(previous.jws, await readAuditJwks(dataSource));
  if (previous) {
    const stored: Array<{ hash: string }> = await dataSource.query(`SELECT hash FROM audit_event WHERE seq = $1`, [
      previous.seq,
    ]);
    const refuse = (reason: ChainBreakReason, seq: number, message: string): CheckpointOutcome => ({
      status: 'refused',
      verification: { ok: false, checked: 0, head, firstBroken: { seq, reason, message } },
    });
    if (previous.seq > head.seq)
      return refuse(
        'truncated',
        head.seq + 1,
        `the chain ends at seq ${head.seq}; a checkpoint signed ${previous.seq}`,
      );
    if (stored[0]?.hash !== previous.hash)
      return refuse('rewritten', previous.seq, `seq ${previous.seq} differs from the signed checkpoint`);
    if (previous.seq === head.seq) return { status: 'unchanged', checkpoint: previous };
  }
  // Continuity from the signed state: the first new event must link to the previous checkpoint's hash.
  const after = previous ? { seq: previous.seq, hash: previous.hash } : undefined;
  const verification = await verifyChain(readEvents(dataSource, { afterSeq: after?.seq, untilSeq: head.seq }), {
    after,
  });
  if (!verification.ok || verification.head?.seq !== head.seq) return { status: 'refused', verification };
  const checkpoint = await signCheckpoint({ ...head, at: clock.now().toISOString() }, signer);
  await insertCheckpoint(dataSource, checkpoint);
  return { status: 'created', checkpoint };
}

import type { JSONWebKeySet } from 'jose';
import { isBrokerError } from '@joinedup/core';
import {
  readAuditJwks,
  readEvents,
  readLatestCheckpoint,
  type Queryable,
  type StoredCheckpoint,
} from './audit-store.js';
import { verifyCheckpoint } from './checkpoint.js';
import { verifyChain, type ChainVerification } from './hash-chain.js';

export interface CheckpointReport {
  /** Checkpoints whose signature verified and whose hash the chain was checked against. */
  verified: number;
  latest: { seq: number; kid: string } | null;
  /** A checkpoint whose signature did not verify: the verification fails. */
  invalid?: { seq: number; message: string };
}

export interface AuditVerification extends ChainVerification {
  checkpoints: CheckpointReport;
}

export interface AuditVerifyOptions {
  pageSize?: number;
  /** The broker's public keys as the auditor obtained them; default: every key in broker_signing_key. */
  jwks?: JSONWebKeySet;
  onProgress?: (checked: number) => void;
  progressEvery?: number;
}

/** Checks each checkpoint's signature; the hashes of those that verify become anchors of the chain. */
export async function checkpointAnchors(
  checkpoints: StoredCheckpoint[],
  jwks: JSONWebKeySet,
): Promise<{ anchors: Map<number, string>; report: CheckpointReport }> {
  const anchors = new Map<number, string>();
  const report: CheckpointReport = { verified: 0, latest: null };
  for (const stored of checkpoints) {
    try {
      const checkpoint = await verifyCheckpoint(stored.jws, jwks);
      if (checkpoint.seq !== stored.seq || checkpoint.hash !== stored.hash)
        throw new Error('the stored seq or hash differs from the signed one');
      const known = anchors.get(checkpoint.seq);
      if (known !== undefined && known !== checkpoint.hash)
        throw new Error('two signed checkpoints disagree about this seq');
      anchors.set(checkpoint.seq, checkpoint.hash);
      report.verified += 1;
      if (!report.latest || checkpoint.seq >= report.latest.seq)
        report.latest = { seq: checkpoint.seq, kid: checkpoint.kid };
    } catch (error) {
      const reason = isBrokerError(error) ? error.message : error instanceof Error ? error.message : String(error);
      report.invalid ??= { seq: stored.seq, message: reason };
    }
  }
  return { anchors, report };
}

/** A chain result and a checkpoint report together; a bad checkpoint fails the whole verification. */
export function withCheckpoints(chain: ChainVerification, checkpoints: CheckpointReport): AuditVerification {
  return { ...chain, ok: chain.ok && !checkpoints.invalid, checkpoints };
}

/**
 * Verifies the audit chain in PostgreSQL from the genesis, streaming in seq order a page at a time, and
 * checks it against the latest signed checkpoint (which covers everything before it, hash by hash).
 * It reads up to the head as it was when it started; events appended meanwhile wait for the next run.
 */
export class AuditVerifier {
  constructor(private readonly db: Queryable) {}

  async verify(options: AuditVerifyOptions = {}): Promise<AuditVerification> {
    const latest = await readLatestCheckpoint(this.db);
    const jwks = options.jwks ?? (await readAuditJwks(this.db));
    const { anchors, report } = await checkpointAnchors(latest ? [latest] : [], jwks);
    const chain = await verifyChain(readEvents(this.db, { pageSize: options.pageSize }), {
      anchors,
      onProgress: options.onProgress,
      progressEvery: options.progressEvery,
    });
    return withCheckpoints(chain, report);
  }
}

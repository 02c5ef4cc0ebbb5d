import { canonicalJson, sha256Hex } from '@joinedup/core';

/** The `prevHash` of the first event. */
export const GENESIS = '0'.repeat(64);

export type AuditActorKind = 'agency-client' | 'person' | 'system';

export interface AuditActor {
  kind: AuditActorKind;
  id: string;
  agency?: string;
}

export interface AgreementRef {
  id: string;
  version: number;
}

/** The fields the hash covers, exactly as stored (and as exported, one per NDJSON line). */
export interface AuditEventFields {
  seq: number;
  id: string;
  /** ISO 8601 with milliseconds, UTC (`Date.toISOString()`). */
  at: string;
  type: string;
  actor: AuditActor;
  agencyId: string | null;
  purpose: string | null;
  /** Ids only, never names. */
  subjects: string[];
  decision: 'allow' | 'deny' | null;
  agreement: AgreementRef | null;
  /** No personal data. */
  details: Record<string, unknown>;
}

export interface ChainedAuditEvent extends AuditEventFields {
  prevHash: string;
  hash: string;
}

export interface ChainHead {
  seq: number;
  hash: string;
}

/**
 * sha256 over the canonical JSON of the event's fields and the previous hash. Keys are sorted at every
 * level, so the jsonb round trip (which reorders keys) does not change the hash.
 */
export function auditHash(prevHash: string, event: AuditEventFields): string {
  return sha256Hex(
    canonicalJson({
      prevHash,
      seq: event.seq,
      id: event.id,
      at: event.at,
      type: event.type,
      actor: event.actor,
      agencyId: event.agencyId,
      purpose: event.purpose,
      subjects: event.subjects,
      decision: event.decision,
      agreement: event.agreement,
      details: event.details,
    }),
  );
}

/**
 * Why a chain is broken, at the first position found:
 * - `edited`: the event's content no longer matches its hash (its link to the previous event holds);
 * - `removed`: an event is missing (a gap in seq); `seq` is the first missing one;
 * - `reordered`: an event sits at another position than the one it was hashed at;
 * - `relinked`: the event is self-consistent but does not link to its predecessor (an earlier event
 *   was rewritten with a recomputed hash, or the chain was rebuilt from here);
 * - `rewritten`: the chain is consistent but disagrees with a signed checkpoint at that seq;
 * - `truncated`: the chain ends before a signed checkpoint's seq; `seq` is the first missing one;
 * - `malformed`: an input line or row is not an audit event.
 */
export type ChainBreakReason =
  'edited' | 'removed' | 'reordered' | 'relinked' | 'rewritten' | 'truncated' | 'malformed';

export interface ChainBreak {
  seq: number;
  reason: ChainBreakReason;
  message: string;
}

export interface ChainVerification {
  ok: boolean;
  /** Events that verified before the first break (all of them when ok). */
  checked: number;
  /** The last event that verified, or the starting point when none did. */
  head: ChainHead | null;
  firstBroken?: ChainBreak;
}

export interface VerifyChainOptions {
  /** Start mid-chain, after an event already verified (e.g. a checkpoint). Default: the genesis. */
  after?: ChainHead;
  /** Known-good hashes by seq (signed checkpoints): the chain must reach and match each one. */
  anchors?: ReadonlyMap<number, string>;
  /** How far from its position to look for the seq a misplaced event was hashed at. */
  reorderWindow?: number;
  onProgress?: (checked: number) => void;
  progressEvery?: number;
}

type Events = Iterable<ChainedAuditEvent> | AsyncIterable<ChainedAuditEvent>;

async function* asAsync(events: Events): AsyncGenerator<ChainedAuditEvent> {
  yield* events;
}

/** The seq an event was hashed at, when it is within `window` of `around`; null otherwise. */
function hashedAtSeq(event: ChainedAuditEvent, around: number, window: number): number | null {
  for (let d = 1; d <= window; d += 1) {
    for (const seq of [around + d, around - d]) {
      if (seq >= 1 && auditHash(event.prevHash, { ...event, seq }) === event.hash) return seq;
    }
  }
  return null;
}

/**
 * Verifies events streamed in the order they are claimed to be in (ascending seq), holding one event of
 * look-ahead at most, and names the first break. Stops there: after a break, positions mean little.
 */
export async function verifyChain(events: Events, options: VerifyChainOptions = {}): Promise<ChainVerification> {
  const window = options.reorderWindow ?? 1000;
  const every = options.progressEvery ?? 100_000;
  const anchors = options.anchors ?? new Map<number, string>();
  let head: ChainHead | null = options.after ?? null;
  let checked = 0;
  const broken = (seq: number, reason: ChainBreakReason, message: string): ChainVerification => ({
    ok: false,
    checked,
    head,
    firstBroken: { seq, reason, message },
  });

  const iterator = asAsync(events)[Symbol.asyncIterator]();
  let next = await iterator.next();
  while (!next.done) {
    const event = next.value;
    next = await iterator.next();
    const expectedSeq = (head?.seq ?? 0) + 1;
    const expectedPrev = head?.hash ?? GENESIS;
    if (!Number.isSafeInteger(event.seq) || typeof event.hash !== 'string' || typeof event.prevHash !== 'string')
      return broken(expectedSeq, 'malformed', `the event after seq ${expectedSeq - 1} has no valid seq or hashes`);
    if (event.seq > expectedSeq) {
      // A later event that comes back to the expected seq means the order is wrong, not that one is gone.
      const comesBack = !next.done && next.value.seq === expectedSeq;
      return comesBack
        ? broken(expectedSeq, 'reordered', `seq ${event.seq} comes before seq ${expectedSeq}`)
        : broken(expectedSeq, 'removed', `seq ${expectedSeq} is missing (next is ${event.seq})`);
    }
    if (event.seq < expectedSeq)
      return broken(event.seq, 'reordered', `seq ${event.seq} comes after seq ${expectedSeq - 1}`);
    const selfConsistent = auditHash(event.prevHash, event) === event.hash;
    const linked = event.prevHash === expectedPrev;
    if (!selfConsistent && linked)
      return broken(event.seq, 'edited', `seq ${event.seq}: the content does not match its hash`);
    if (!selfConsistent) {
      const original = hashedAtSeq(event, event.seq, window);
      return original === null
        ? broken(event.seq, 'edited', `seq ${event.seq}: neither the content nor the link matches`)
        : broken(event.seq, 'reordered', `seq ${event.seq} holds the event hashed at seq ${original}`);
    }
    if (!linked) return broken(event.seq, 'relinked', `seq ${event.seq} does not link to seq ${event.seq - 1}`);
    const anchor = anchors.get(event.seq);
    if (anchor !== undefined && anchor !== event.hash)
      return broken(event.seq, 'rewritten', `seq ${event.seq} differs from the signed checkpoint`);
    head = { seq: event.seq, hash: event.hash };
    checked += 1;
    if (checked % every === 0) options.onProgress?.(checked);
  }
  let lastAnchor = 0;
  for (const seq of anchors.keys()) lastAnchor = Math.max(lastAnchor, seq);
  const reached = head?.seq ?? 0;
  if (lastAnchor > reached)
    return broken(reached + 1, 'truncated', `the chain ends at seq ${reached}; a checkpoint signed seq ${lastAnchor}`);
  return { ok: true, checked, head };
}

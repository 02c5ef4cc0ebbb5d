import { blockNumbers, keyHashInto, keyPart, keyStart } from './block-hash.js';
import type { Prepared } from './features.js';
import { type KeyHashes, keyHashCount } from './key-hashes.js';
import type { BlockingRule } from './model.js';

/** Key parts a blocking rule can combine. Each answers '' when the record lacks the value. */
export const BLOCKING_KEYS: Record<string, (r: Prepared) => string> = {
  nhs: (r) => r.nhs,
  ni: (r) => r.ni,
  upn: (r) => r.upn,
  identifier: (r) => r.identifier,
  uprn: (r) => r.uprn,
  email: (r) => r.email,
  /** Year and the unordered pair of day and month: survives a day/month swap. */
  'dob-unordered': (r) =>
    r.dob && r.dob.m && r.dob.d ? `${r.dob.y}|${Math.min(r.dob.m, r.dob.d)}|${Math.max(r.dob.m, r.dob.d)}` : '',
  'birth-year': (r) => (r.dob ? String(r.dob.y) : ''),
  'dob-month-day': (r) => (r.dob && r.dob.m && r.dob.d ? `${r.dob.m}|${r.dob.d}` : ''),
  'family-phonetic': (r) => r.familyMeta[0] ?? '',
  'given-phonetic': (r) => r.givenMeta[0] ?? '',
  /** Both names' sounds in either order: survives given and family names swapped. */
  'names-phonetic-unordered': (r) =>
    r.givenMeta[0] && r.familyMeta[0] ? [r.givenMeta[0], r.familyMeta[0]].sort().join('|') : '',
  'given-initial': (r) => r.given[0] ?? '',
  /** The given name's nickname group (Bill and William share one), else how it sounds. */
  'given-canonical': (r) => (r.givenGroups.length > 0 ? `#${Math.min(...r.givenGroups)}` : (r.givenMeta[0] ?? '')),
  'family-initial': (r) => r.familyCompact[0] ?? '',
  'family-exact': (r) => r.familyCompact,
  'given-exact': (r) => r.given,
  postcode: (r) => r.postcode,
  'postcode-outward': (r) => r.outward,
  locality: (r) => r.locality,
};

export function blockingKey(rule: BlockingRule, r: Prepared): string {
  let key = rule.name;
  for (const part of rule.keys) {
    const value = BLOCKING_KEYS[part]?.(r) ?? '';
    if (!value) return '';
    key += `:${value}`;
  }
  return key;
}

/** Each rule's part getters, looked up once. */
const partsOf = new WeakMap<BlockingRule, ((r: Prepared) => string)[]>();

/**
 * Writes the hash of `blockingKey(rule, r)` (see blockHashInto) at `out[at]`, without building the key;
 * false when the record has no key for the rule (a part missing), and nothing is written.
 */
export function blockingKeyHashInto(
  rule: BlockingRule,
  r: Prepared,
  out: Uint32Array | Int32Array,
  at: number,
): boolean {
  let parts = partsOf.get(rule);
  if (!parts) partsOf.set(rule, (parts = rule.keys.map((part) => BLOCKING_KEYS[part] ?? (() => ''))));
  keyStart();
  keyPart(rule.name);
  for (const part of parts) {
    const value = part(r);
    if (!value) return false;
    keyPart(':');
    keyPart(value);
  }
  keyHashInto(out, at);
  return true;
}

/** The key hashes of `records` under `rules`, in order. */
export function keyHashesOf(records: readonly Prepared[], rules: readonly BlockingRule[]): KeyHashes {
  const words = new Int32Array(2 * records.length * rules.length);
  const present = new Uint8Array(records.length * rules.length);
  let slot = 0;
  for (const record of records)
    for (const rule of rules) {
      if (blockingKeyHashInto(rule, record, words, 2 * slot)) present[slot] = 1;
      slot += 1;
    }
  return { rules: rules.length, words, present };
}

/** Every blocking key of a record: what the service stores in its persistent blocking index. */
export function blockingKeys(r: Prepared, rules: readonly BlockingRule[]): string[] {
  return rules.map((rule) => blockingKey(rule, r)).filter(Boolean);
}

export interface RuleReport {
  rule: string;
  candidatePairs: number;
  skippedBlocks: number;
  truePairsKept?: number;
}

/** Candidate pairs with, for each, which rules found it (bit r set = rule r). */
export interface CandidatePairs {
  /** Pair keys i * n + j (i < j), ascending, each once. */
  pairs: Float64Array;
  /** Bit mask of the rules that found each pair (at most 31 rules). */
  rules: Uint32Array;
  reports: RuleReport[];
}

/** A growable Float64Array: candidate sets reach tens of millions, beyond what a Set can hold. */
class PairBuffer {
  data = new Float64Array(1 << 16);
  length = 0;
  push(v: number): void {
    if (this.length === this.data.length) {
      const next = new Float64Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }
}

/**
 * One rule's blocks as flat arrays: block `b` holds records `members[start[b]]` to `members[start[b + 1] - 1]`,
 * ascending. Typed arrays, not an array per block: at a million records a rule has hundreds of thousands
 * of blocks, and as many small arrays kept the garbage collector busy for most of blocking.
 */
function ruleBlocks(hashes: KeyHashes, r: number): { start: Int32Array; members: Int32Array } {
  // Records are grouped by their key's 64-bit hash (the one the service's index stores), sorted in typed
  // arrays, not by the key strings in a Map: at a million records that Map was most of blocking (all
  // rules 23.5 s against 18.8 s, same candidate pairs).
  const n = keyHashCount(hashes);
  const words = new Int32Array(2 * n);
  const keyed = new Int32Array(n);
  let count = 0;
  for (let i = 0, slot = r; i < n; i += 1, slot += hashes.rules)
    if (hashes.present[slot] === 1) {
      words[2 * count] = hashes.words[2 * slot]!;
      words[2 * count + 1] = hashes.words[2 * slot + 1]!;
      keyed[count++] = i;
    }
  const { of, blocks } = blockNumbers(words, count);
  // A counting sort by block keeps each block's records in ascending order.
  const start = new Int32Array(blocks + 1);
  for (let k = 0; k < count; k += 1) start[of[k]! + 1]! += 1;
  for (let b = 0; b < blocks; b += 1) start[b + 1]! += start[b]!;
  const next = start.slice(0, blocks);
  const members = new Int32Array(count);
  for (let k = 0; k < count; k += 1) members[next[of[k]!]!++] = keyed[k]!;
  return { start, members };
}

/**
 * Candidate pairs: the union over rules, so an error in one field loses a pair only if every rule misses
 * it. Each rule's pairs are tagged with the rule (key * 32 + rule), sorted once, then merged. `hashes`:
 * the records' key hashes when already worked out (see KeyHashes), else hashed here.
 */
export function candidatePairs(
  records: readonly Prepared[],
  rules: readonly BlockingRule[],
  maxBlockSize: number,
  hashes: KeyHashes = keyHashesOf(records, rules),
): CandidatePairs {
  if (rules.length > 31) throw new Error('at most 31 blocking rules');
  const n = records.length;
  if (hashes.rules !== rules.length || (rules.length > 0 && keyHashCount(hashes) !== n))
    throw new Error(
      `key hashes for ${keyHashCount(hashes)} records under ${hashes.rules} rules, not ${n} under ${rules.length}`,
    );
  if (n * n * 32 > Number.MAX_SAFE_INTEGER) throw new Error('too many records for one batch');
  const tagged = new PairBuffer();
  const reports: RuleReport[] = [];
  rules.forEach((rule, r) => {
    const { start, members } = ruleBlocks(hashes, r);
    const limit = rule.maxBlockSize ?? maxBlockSize;
    let made = 0;
    let skipped = 0;
    for (let block = 0; block + 1 < start.length; block += 1) {
      const [from, to] = [start[block]!, start[block + 1]!];
      if (to - from < 2) continue;
      if (to - from > limit) {
        skipped += 1;
        continue;
      }
      for (let x = from; x < to; x += 1) {
        for (let y = x + 1; y < to; y += 1) {
          made += 1;
          tagged.push((members[x]! * n + members[y]!) * 32 + r);
        }
      }
    }
    reports.push({ rule: rule.name, candidatePairs: made, skippedBlocks: skipped });
  });
  const all = tagged.data.subarray(0, tagged.length).sort();
  const pairs = new Float64Array(all.length);
  const masks = new Uint32Array(all.length);
  let count = 0;
  let last = -1;
  for (let t = 0; t < all.length; t += 1) {
    const v = all[t]!;
    const r = v % 32;
    const key = (v - r) / 32;
    if (key !== last) {
      pairs[count] = key;
      count += 1;
      last = key;
    }
    masks[count - 1]! |= 1 << r;
  }
  return { pairs: pairs.slice(0, count), rules: masks.slice(0, count), reports };
}

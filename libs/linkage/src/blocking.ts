import type { Prepared } from './features.js';
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
 * Candidate pairs: the union over rules, so an error in one field loses a pair only if every rule misses
 * it. Each rule's pairs are tagged with the rule (key * 32 + rule), sorted once, then merged.
 */
export function candidatePairs(
  records: readonly Prepared[],
  rules: readonly BlockingRule[],
  maxBlockSize: number,
): CandidatePairs {
  if (rules.length > 31) throw new Error('at most 31 blocking rules');
  const n = records.length;
  if (n * n * 32 > Number.MAX_SAFE_INTEGER) throw new Error('too many records for one batch');
  const tagged = new PairBuffer();
  const reports: RuleReport[] = [];
  rules.forEach((rule, r) => {
    const blocks = new Map<string, number[]>();
    for (let i = 0; i < n; i += 1) {
      const key = blockingKey(rule, records[i]!);
      if (!key) continue;
      const block = blocks.get(key);
      if (block) block.push(i);
      else blocks.set(key, [i]);
    }
    const limit = rule.maxBlockSize ?? maxBlockSize;
    let made = 0;
    let skipped = 0;
    for (const block of blocks.values()) {
      if (block.length < 2) continue;
      if (block.length > limit) {
        skipped += 1;
        continue;
      }
      for (let x = 0; x < block.length; x += 1) {
        for (let y = x + 1; y < block.length; y += 1) {
          made += 1;
          tagged.push((block[x]! * n + block[y]!) * 32 + r);
        }
      }
    }
    reports.push({ rule: rule.name, candidatePairs: made, skippedBlocks: skipped });
  });
  const all = tagged.data.subarray(0, tagged.length).sort();
  const pairs = new PairBuffer();
  const masks: number[] = [];
  let last = -1;
  for (let t = 0; t < all.length; t += 1) {
    const v = all[t]!;
    const r = v % 32;
    const key = (v - r) / 32;
    if (key !== last) {
      pairs.push(key);
      masks.push(0);
      last = key;
    }
    masks[masks.length - 1] = masks[masks.length - 1]! | (1 << r);
  }
  return { pairs: pairs.data.slice(0, pairs.length), rules: Uint32Array.from(masks), reports };
}

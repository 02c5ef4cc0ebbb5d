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
  'given-initial': (r) => r.given[0] ?? '',
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

/**
 * Candidate pairs: the union over rules, each pair once (encoded as i * n + j with i < j), so an error in
 * one field loses a pair only if every rule misses it.
 */
export function candidatePairs(
  records: readonly Prepared[],
  rules: readonly BlockingRule[],
  maxBlockSize: number,
): { pairs: Float64Array; reports: RuleReport[] } {
  const n = records.length;
  const seen = new Set<number>();
  const reports: RuleReport[] = [];
  for (const rule of rules) {
    const blocks = new Map<string, number[]>();
    for (let i = 0; i < n; i += 1) {
      const key = blockingKey(rule, records[i]!);
      if (!key) continue;
      const block = blocks.get(key);
      if (block) block.push(i);
      else blocks.set(key, [i]);
    }
    let made = 0;
    let skipped = 0;
    for (const block of blocks.values()) {
      if (block.length < 2) continue;
      if (block.length > maxBlockSize) {
        skipped += 1;
        continue;
      }
      for (let x = 0; x < block.length; x += 1) {
        for (let y = x + 1; y < block.length; y += 1) {
          made += 1;
          seen.add(block[x]! * n + block[y]!);
        }
      }
    }
    reports.push({ rule: rule.name, candidatePairs: made, skippedBlocks: skipped });
  }
  const pairs = Float64Array.from(seen);
  pairs.sort();
  return { pairs, reports };
}

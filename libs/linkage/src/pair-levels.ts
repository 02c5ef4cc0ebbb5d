import type { Prepared } from './features.js';
import { COMPARISONS, swappedNameLevels } from './comparisons.js';

/**
 * Every candidate pair's comparison levels, computed once (the expensive string work) and then shared by
 * training and scoring. Flat: level of comparison k for pair p is at p * K + k; missing is -1.
 */
export interface LevelTable {
  comparisons: number;
  levels: Int8Array;
  /** 1 where the names agreed better the other way round. */
  swapped: Uint8Array;
}

export function computeLevels(
  records: readonly Prepared[],
  pairs: Float64Array,
  comparisons: readonly string[],
): LevelTable {
  const n = records.length;
  const K = comparisons.length;
  const levels = new Int8Array(pairs.length * K);
  const swapped = new Uint8Array(pairs.length);
  // The same answers as pairLevels, written straight into the table (no array per pair).
  const compare = comparisons.map((name) => COMPARISONS[name]!.compare);
  const gi = comparisons.indexOf('given');
  const fi = comparisons.indexOf('family');
  for (let p = 0; p < pairs.length; p += 1) {
    const key = pairs[p]!;
    const i = Math.floor(key / n);
    const a = records[i]!;
    const b = records[key - i * n]!;
    const at = p * K;
    for (let k = 0; k < K; k += 1) levels[at + k] = compare[k]!(a, b);
    if (gi >= 0 && fi >= 0 && (levels[at + gi]! >= 3 || levels[at + fi]! >= 3)) {
      const other = swappedNameLevels(a, b);
      if (other && other.given + other.family < levels[at + gi]! + levels[at + fi]!) {
        levels[at + gi] = other.given;
        levels[at + fi] = other.family;
        swapped[p] = 1;
      }
    }
  }
  return { comparisons: K, levels, swapped };
}

/** Joins tables computed for consecutive slices of the pairs (by worker threads) into one. */
export function concatLevels(parts: readonly LevelTable[]): LevelTable {
  const K = parts[0]?.comparisons ?? 0;
  const levels = new Int8Array(parts.reduce((s, t) => s + t.levels.length, 0));
  const swapped = new Uint8Array(parts.reduce((s, t) => s + t.swapped.length, 0));
  let at = 0;
  let sat = 0;
  for (const t of parts) {
    levels.set(t.levels, at);
    swapped.set(t.swapped, sat);
    at += t.levels.length;
    sat += t.swapped.length;
  }
  return { comparisons: K, levels, swapped };
}

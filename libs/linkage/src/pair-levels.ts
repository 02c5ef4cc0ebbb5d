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

/** Every pair's levels (see LevelTable), on this thread. */
export function computeLevels(
  records: readonly Prepared[],
  pairs: Float64Array,
  comparisons: readonly string[],
): LevelTable {
  const table = {
    comparisons: comparisons.length,
    levels: new Int8Array(pairs.length * comparisons.length),
    swapped: new Uint8Array(pairs.length),
  };
  levelsInto(records, pairs, comparisons, table, 0, pairs.length);
  return table;
}

/**
 * A table whose pairs several threads fill together (SharedArrayBuffers): each claims the next chunk of
 * pairs from `next` until none are left, so a thread that runs faster (the main thread's heap is larger
 * and slower to walk) does more, and no thread waits for another's fixed half.
 */
export interface SharedLevels {
  pairs: Float64Array;
  table: LevelTable;
  /** The first pair not yet claimed, at index 0. */
  next: Int32Array;
}

/** Pairs claimed at a time: a few hundredths of a second of work, so the threads finish close together. */
const CHUNK = 8192;

export function sharedLevels(pairs: Float64Array, comparisons: number): SharedLevels {
  const shared = new Float64Array(new SharedArrayBuffer(pairs.length * Float64Array.BYTES_PER_ELEMENT));
  shared.set(pairs);
  return {
    pairs: shared,
    table: {
      comparisons,
      levels: new Int8Array(new SharedArrayBuffer(pairs.length * comparisons)),
      swapped: new Uint8Array(new SharedArrayBuffer(pairs.length)),
    },
    next: new Int32Array(new SharedArrayBuffer(4)),
  };
}

/** Claims and fills chunks of a shared table until every pair is claimed (run by each thread at once). */
export function fillSharedLevels(records: readonly Prepared[], shared: SharedLevels, comparisons: readonly string[]) {
  const total = shared.pairs.length;
  for (;;) {
    const from = Atomics.add(shared.next, 0, CHUNK);
    if (from >= total) return;
    levelsInto(records, shared.pairs, comparisons, shared.table, from, Math.min(total, from + CHUNK));
  }
}

/** The levels of pairs `from` to `to` (exclusive), written into `table` at their own positions. */
function levelsInto(
  records: readonly Prepared[],
  pairs: Float64Array,
  comparisons: readonly string[],
  table: LevelTable,
  from: number,
  to: number,
): void {
  const n = records.length;
  const K = comparisons.length;
  const { levels, swapped } = table;
  // The same answers as pairLevels, written straight into the table (no array per pair).
  const compare = comparisons.map((name) => COMPARISONS[name]!.compare);
  const gi = comparisons.indexOf('given');
  const fi = comparisons.indexOf('family');
  for (let p = from; p < to; p += 1) {
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
}

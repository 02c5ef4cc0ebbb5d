import { blockingKey } from './blocking.js';
import type { Prepared } from './features.js';
import type { BlockingRule } from './model.js';

/** FNV-1a over the key's UTF-16 units: stable across processes, so every worker agrees on a key's partition. */
export function keyPartition(key: string, partitions: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i += 1) {
    hash ^= key.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % partitions;
}

/** Per rule: each record's block (-1 for none) and, per block, its partition or -1 when it makes no pairs. */
interface RuleBlocks {
  blockOf: Int32Array;
  partitionOf: Int32Array;
}

function ruleBlocks(records: readonly Prepared[], rule: BlockingRule, limit: number, partitions: number): RuleBlocks {
  const ids = new Map<string, number>();
  const blockOf = new Int32Array(records.length).fill(-1);
  const sizes: number[] = [];
  const keys: string[] = [];
  records.forEach((record, i) => {
    const key = blockingKey(rule, record);
    if (!key) return;
    let id = ids.get(key);
    if (id === undefined) {
      id = keys.length;
      ids.set(key, id);
      keys.push(key);
      sizes.push(0);
    }
    blockOf[i] = id;
    sizes[id]! += 1;
  });
  // A block of one makes no pair; one over the cap is skipped, exactly as candidatePairs skips it.
  const partitionOf = Int32Array.from(keys, (key, id) =>
    sizes[id]! >= 2 && sizes[id]! <= limit ? keyPartition(key, partitions) : -1,
  );
  return { blockOf, partitionOf };
}

/**
 * The candidate pairs (keys i * n + j, i < j, ascending) that one partition of a batch owns. Blocks are
 * spread over partitions by a hash of their key; a pair that several blocks share belongs to the first of
 * them in (partition, rule) order. So each pair is scored by exactly one partition, and the partitions
 * together give exactly `candidatePairs`: a batch split over any number of workers finds the same pairs.
 */
export function partitionPairs(
  records: readonly Prepared[],
  rules: readonly BlockingRule[],
  maxBlockSize: number,
  partition: number,
  partitions: number,
): Float64Array {
  if (rules.length > 31) throw new Error('at most 31 blocking rules');
  if (!(Number.isInteger(partitions) && partitions >= 1 && partition >= 0 && partition < partitions))
    throw new Error(`partition ${partition} of ${partitions} is not a partition`);
  const n = records.length;
  const blocks = rules.map((rule) => ruleBlocks(records, rule, rule.maxBlockSize ?? maxBlockSize, partitions));
  const owner = (i: number, j: number): number => {
    let best = Infinity;
    blocks.forEach(({ blockOf, partitionOf }, r) => {
      const block = blockOf[i]!;
      if (block < 0 || block !== blockOf[j] || partitionOf[block]! < 0) return;
      best = Math.min(best, partitionOf[block]! * 32 + r);
    });
    return best;
  };
  const out: number[] = [];
  blocks.forEach(({ blockOf, partitionOf }, r) => {
    const members = new Map<number, number[]>();
    blockOf.forEach((block, i) => {
      if (block < 0 || partitionOf[block] !== partition) return;
      const list = members.get(block);
      if (list) list.push(i);
      else members.set(block, [i]);
    });
    const mine = partition * 32 + r;
    for (const list of members.values())
      for (let x = 0; x < list.length; x += 1)
        for (let y = x + 1; y < list.length; y += 1)
          if (owner(list[x]!, list[y]!) === mine) out.push(list[x]! * n + list[y]!);
  });
  return Float64Array.from(out).sort();
}

import type { TrainedModel } from './model.js';
import { computeLevels, type LevelTable } from './pair-levels.js';
import type { Prepared } from './features.js';
import { type ComparisonScore, scoreLevels, scoreTable } from './scoring.js';

/** A scored pair by record index (a < b), with each comparison's level and weight. */
export interface ExplainedPair {
  a: number;
  b: number;
  probability: number;
  comparisons: ComparisonScore[];
  /** `comparisons` as JSON text, when made here: pairs with the same levels share one string. */
  readonly comparisonsJson?: string;
}

/** scoreLevels reads the record only for term frequencies, which these scores do not use. */
const NO_RECORD = null as unknown as Prepared;

/**
 * The candidate pairs (keys i * n + j) at or above the review threshold, each explained: what the service
 * stores as links. Every pair is compared once in the flat level table; a kept pair's explanation is
 * worked out from its row of the table when it is read (a million records keep about half a million
 * pairs, and ten objects each would be half a gigabyte held until they are written). No term-frequency
 * adjustment, as in incremental linkage.
 */
export function explainedPairs(
  prepared: readonly Prepared[],
  pairs: Float64Array,
  model: TrainedModel,
  /** The pairs' levels when already compared (on other threads: see LevelsHelper). */
  table: LevelTable = computeLevels(prepared, pairs, model.comparisons),
): ExplainedPair[] {
  const n = prepared.length;
  const K = model.comparisons.length;
  const probability = scoreTable(prepared, pairs, table, model, { total: n, counts: {} });
  const out: ExplainedPair[] = [];
  // Explanations by level row: half a million kept pairs have a few thousand distinct rows, so a batch
  // writes each explanation's JSON once instead of stringifying ten objects for every link.
  const json = new Map<string, string>();
  for (let p = 0; p < pairs.length; p += 1) {
    if (probability[p]! < model.thresholds.review) continue;
    const a = Math.floor(pairs[p]! / n);
    const levels = { levels: [...table.levels.subarray(p * K, (p + 1) * K)], swapped: table.swapped[p] === 1 };
    // Scored as incremental linkage scores one pair (the same probability to the last bit).
    const score = scoreLevels(NO_RECORD, levels, model);
    out.push({
      a,
      b: pairs[p]! - a * n,
      probability: score.probability,
      get comparisons() {
        return scoreLevels(NO_RECORD, levels, model).comparisons;
      },
      get comparisonsJson() {
        const row = `${levels.swapped ? 's' : ''}${levels.levels.join()}`;
        let text = json.get(row);
        if (text === undefined) json.set(row, (text = JSON.stringify(this.comparisons)));
        return text;
      },
    });
  }
  return out;
}

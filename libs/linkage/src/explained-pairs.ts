import type { TrainedModel } from './model.js';
import { computeLevels, type LevelTable } from './pair-levels.js';
import type { Prepared } from './features.js';
import { type ComparisonScore, pairLevels, scoreLevels, scoreTable } from './scoring.js';

/** A scored pair by record index (a < b), with each comparison's level and weight. */
export interface ExplainedPair {
  a: number;
  b: number;
  probability: number;
  comparisons: ComparisonScore[];
}

/**
 * The candidate pairs (keys i * n + j) at or above the review threshold, each explained: what the service
 * stores as links. Every pair is compared once in the flat level table; only the kept few are scored
 * again in full for their explanation. No term-frequency adjustment, as in incremental linkage.
 */
export function explainedPairs(
  prepared: readonly Prepared[],
  pairs: Float64Array,
  model: TrainedModel,
  /** The pairs' levels when already compared (on other threads: see LevelsHelper). */
  table: LevelTable = computeLevels(prepared, pairs, model.comparisons),
): ExplainedPair[] {
  const n = prepared.length;
  const probability = scoreTable(prepared, pairs, table, model, { total: n, counts: {} });
  const out: ExplainedPair[] = [];
  for (let p = 0; p < pairs.length; p += 1) {
    if (probability[p]! < model.thresholds.review) continue;
    const a = Math.floor(pairs[p]! / n);
    const b = pairs[p]! - a * n;
    const score = scoreLevels(prepared[a]!, pairLevels(prepared[a]!, prepared[b]!, model.comparisons), model);
    out.push({ a, b, probability: score.probability, comparisons: score.comparisons });
  }
  return out;
}

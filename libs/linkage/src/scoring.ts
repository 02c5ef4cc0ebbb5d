import { COMPARISONS, swappedNameLevels } from './comparisons.js';
import type { Prepared } from './features.js';
import type { TrainedModel } from './model.js';
import type { LevelTable } from './pair-levels.js';

export interface PairLevels {
  levels: number[];
  swapped: boolean;
}

/** Each comparison's level for one pair; given and family names are also tried the other way round. */
export function pairLevels(a: Prepared, b: Prepared, comparisons: readonly string[]): PairLevels {
  const levels = comparisons.map((name) => COMPARISONS[name]!.compare(a, b));
  const gi = comparisons.indexOf('given');
  const fi = comparisons.indexOf('family');
  let swapped = false;
  if (gi >= 0 && fi >= 0 && (levels[gi]! >= 3 || levels[fi]! >= 3)) {
    const other = swappedNameLevels(a, b);
    if (other && other.given + other.family < levels[gi]! + levels[fi]!) {
      levels[gi] = other.given;
      levels[fi] = other.family;
      swapped = true;
    }
  }
  return { levels, swapped };
}

/** How often each value occurs, for term-frequency adjustment (agreeing on a rare name counts more). */
export interface TermFrequencies {
  total: number;
  counts: Record<string, Map<string, number>>;
}

export function termFrequencies(records: readonly Prepared[], comparisons: readonly string[]): TermFrequencies {
  const counts: Record<string, Map<string, number>> = {};
  for (const name of comparisons) {
    const c = COMPARISONS[name]!;
    if (!c.tfValue) continue;
    const map = new Map<string, number>();
    for (const r of records) {
      const v = c.tfValue(r);
      if (v) map.set(v, (map.get(v) ?? 0) + 1);
    }
    counts[name] = map;
  }
  return { total: records.length, counts };
}

export interface ComparisonScore {
  name: string;
  level: number;
  label: string;
  weight: number;
}

export interface PairScore {
  weight: number;
  probability: number;
  swapped: boolean;
  comparisons: ComparisonScore[];
}

const MAX_TF_ADJUSTMENT = 6;

/** Fellegi-Sunter: the prior's log-odds plus each comparison's log2(m/u), term-frequency adjusted. */
export function scoreLevels(a: Prepared, pl: PairLevels, model: TrainedModel, tf?: TermFrequencies): PairScore {
  let weight = Math.log2(model.prior / (1 - model.prior));
  const comparisons: ComparisonScore[] = [];
  model.comparisons.forEach((name, k) => {
    const level = pl.levels[k]!;
    const comparison = COMPARISONS[name]!;
    if (level < 0) {
      comparisons.push({ name, level, label: `${name} missing`, weight: 0 });
      return;
    }
    let w = Math.log2(model.m[name]![level]! / model.u[name]![level]!);
    if (
      tf &&
      comparison.tfLevel === level &&
      comparison.tfValue &&
      !(pl.swapped && (name === 'given' || name === 'family'))
    ) {
      const count = tf.counts[name]?.get(comparison.tfValue(a));
      if (count) {
        const share = count / tf.total;
        w += clampTf(Math.log2(model.u[name]![level]! / share));
      }
    }
    weight += w;
    comparisons.push({ name, level, label: comparison.levels[level]!, weight: Number(w.toFixed(3)) });
  });
  return { weight, probability: 1 / (1 + 2 ** -weight), swapped: pl.swapped, comparisons };
}

export function scorePair(a: Prepared, b: Prepared, model: TrainedModel, tf?: TermFrequencies): PairScore {
  return scoreLevels(a, pairLevels(a, b, model.comparisons), model, tf);
}

export type Decision = 'link' | 'review' | 'no-link';

export function decide(probability: number, thresholds: TrainedModel['thresholds']): Decision {
  if (probability >= thresholds.link) return 'link';
  return probability >= thresholds.review ? 'review' : 'no-link';
}

/**
 * Match probabilities for every candidate pair from its precomputed levels: a table lookup per
 * comparison, with each record's term-frequency adjustment worked out once rather than per pair.
 */
export function scoreTable(
  records: readonly Prepared[],
  pairs: Float64Array,
  table: LevelTable,
  model: TrainedModel,
  tf: TermFrequencies,
): Float64Array {
  const n = records.length;
  const K = model.comparisons.length;
  const base = Math.log2(model.prior / (1 - model.prior));
  const weights = model.comparisons.map((name) => model.m[name]!.map((m, l) => Math.log2(m / model.u[name]![l]!)));
  const tfLevel = model.comparisons.map((name) => COMPARISONS[name]!.tfLevel ?? -1);
  const nameComparison = model.comparisons.map((name) => name === 'given' || name === 'family');
  const tfAdjust = model.comparisons.map((name, k) => {
    const comparison = COMPARISONS[name]!;
    if (!comparison.tfValue || tfLevel[k]! < 0) return null;
    const adjust = new Float32Array(n);
    const uAt = model.u[name]![tfLevel[k]!]!;
    records.forEach((r, i) => {
      const count = tf.counts[name]?.get(comparison.tfValue!(r));
      if (count) adjust[i] = clampTf(Math.log2(uAt / (count / tf.total)));
    });
    return adjust;
  });
  const out = new Float64Array(pairs.length);
  for (let p = 0; p < pairs.length; p += 1) {
    const i = Math.floor(pairs[p]! / n);
    let w = base;
    for (let k = 0; k < K; k += 1) {
      const level = table.levels[p * K + k]!;
      if (level < 0) continue;
      w += weights[k]![level]!;
      if (level === tfLevel[k] && tfAdjust[k] && !(table.swapped[p] && nameComparison[k])) w += tfAdjust[k]![i]!;
    }
    out[p] = 1 / (1 + 2 ** -w);
  }
  return out;
}

const clampTf = (w: number) => Math.max(-MAX_TF_ADJUSTMENT, Math.min(MAX_TF_ADJUSTMENT, w));

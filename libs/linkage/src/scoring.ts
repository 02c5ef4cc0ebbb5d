import { COMPARISONS, swappedNameLevels } from './comparisons.js';
import type { Prepared } from './features.js';
import type { TrainedModel } from './model.js';

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
        w += Math.max(-MAX_TF_ADJUSTMENT, Math.min(MAX_TF_ADJUSTMENT, Math.log2(model.u[name]![level]! / share)));
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

import { candidatePairs, type RuleReport } from './blocking.js';
import { clusterPersons, type HumanDecision, type ScoredLink } from './clustering.js';
import { prepareRecord, type Prepared } from './features.js';
import type { LinkageRecord } from './linkage-record.js';
import type { ModelConfig, TrainedModel } from './model.js';
import { pairLevels, scoreLevels, termFrequencies } from './scoring.js';
import { trainModel } from './training.js';

export interface LinkResult {
  prepared: Prepared[];
  model: TrainedModel;
  candidatePairs: number;
  rules: RuleReport[];
  /** Candidate pairs at or above the review threshold. */
  scored: ScoredLink[];
  personOf: Int32Array;
  comparisons: number;
}

export interface LinkOptions {
  /** Use this trained model instead of training on the records. */
  trained?: TrainedModel;
  decisions?: HumanDecision[];
  onProgress?: (stage: string) => void;
}

/** The whole batch: prepare, block, train (EM), score, cluster. Pure: data in, answer out. */
export function linkRecords(
  records: readonly LinkageRecord[],
  config: ModelConfig,
  options: LinkOptions = {},
): LinkResult {
  const progress = options.onProgress ?? (() => undefined);
  progress(`preparing ${records.length} records`);
  const prepared = records.map(prepareRecord);
  progress('blocking');
  const { pairs, reports } = candidatePairs(prepared, config.blocking, config.maxBlockSize);
  progress(`${pairs.length} candidate pairs; training`);
  const model = options.trained ?? trainModel(prepared, pairs, config);
  const tf = termFrequencies(prepared, model.comparisons);
  progress('scoring');
  const n = prepared.length;
  const scored: ScoredLink[] = [];
  for (let p = 0; p < pairs.length; p += 1) {
    const key = pairs[p]!;
    const a = Math.floor(key / n);
    const b = key - a * n;
    const score = scoreLevels(prepared[a]!, pairLevels(prepared[a]!, prepared[b]!, model.comparisons), model, tf);
    // Pairs far below review are kept as evidence against merging clusters.
    scored.push({ a, b, probability: score.probability });
  }
  progress('clustering');
  const personOf = clusterPersons(n, scored, model.thresholds, options.decisions);
  return {
    prepared,
    model,
    candidatePairs: pairs.length,
    rules: reports,
    scored: scored.filter((s) => s.probability >= model.thresholds.review),
    personOf,
    comparisons: pairs.length,
  };
}

export interface PairwiseMetrics {
  truePairs: number;
  predictedPairs: number;
  truePositives: number;
  precision: number;
  recall: number;
  f1: number;
}

const choose2 = (k: number) => (k * (k - 1)) / 2;

/** Pairwise precision, recall and F1 over all record pairs, after clustering. */
export function pairwiseMetrics(personOf: Int32Array, truth: readonly string[]): PairwiseMetrics {
  const clusterSizes = new Map<number, number>();
  const truthSizes = new Map<string, number>();
  const joint = new Map<string, number>();
  personOf.forEach((c, i) => {
    clusterSizes.set(c, (clusterSizes.get(c) ?? 0) + 1);
    truthSizes.set(truth[i]!, (truthSizes.get(truth[i]!) ?? 0) + 1);
    const key = `${c}\u0000${truth[i]}`;
    joint.set(key, (joint.get(key) ?? 0) + 1);
  });
  let predictedPairs = 0;
  for (const size of clusterSizes.values()) predictedPairs += choose2(size);
  let truePairs = 0;
  for (const size of truthSizes.values()) truePairs += choose2(size);
  let truePositives = 0;
  for (const size of joint.values()) truePositives += choose2(size);
  const precision = predictedPairs === 0 ? 1 : truePositives / predictedPairs;
  const recall = truePairs === 0 ? 1 : truePositives / truePairs;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { truePairs, predictedPairs, truePositives, precision, recall, f1 };
}

import { candidatePairs, type CandidatePairs, type RuleReport } from './blocking.js';
import { clusterPersons, type HumanDecision, type ScoredLink } from './clustering.js';
import { prepareRecord, type Prepared } from './features.js';
import type { LinkageRecord } from './linkage-record.js';
import type { ModelConfig, TrainedModel } from './model.js';
import { computeLevels, type LevelTable } from './pair-levels.js';
import { scoreTable, termFrequencies } from './scoring.js';
import { trainModel } from './training.js';

export interface LinkResult {
  prepared: Prepared[];
  model: TrainedModel;
  candidatePairs: number;
  rules: RuleReport[];
  /** Candidate pairs at or above the review threshold (including any `allowPair` refused). */
  scored: ScoredLink[];
  personOf: Int32Array;
  comparisons: number;
  /** The candidate pairs and which rules found each (for per-rule reports). */
  candidates: CandidatePairs;
}

export interface LinkOptions {
  /** Use this trained model instead of training on the records. */
  trained?: TrainedModel;
  decisions?: HumanDecision[];
  onProgress?: (stage: string) => void;
  /** Adjust agreement on rare values by their frequency in these records (default true). */
  termFrequencies?: boolean;
  /**
   * Whether a scored pair (record indices) may be linked at all, e.g. the governance gate for
   * identity-matching across agencies. A refused pair is left out of clustering.
   */
  allowPair?: (a: number, b: number) => boolean;
}

/** How the levels of the candidate pairs get computed: here, or spread over worker threads. */
export type LevelsStrategy = (prepared: Prepared[], pairs: Float64Array, comparisons: string[]) => Promise<LevelTable>;

/** The whole batch: prepare, block, train (EM), score, cluster. Pure: data in, answer out. */
export function linkRecords(
  records: readonly LinkageRecord[],
  config: ModelConfig,
  options: LinkOptions = {},
): LinkResult {
  const progress = options.onProgress ?? (() => undefined);
  progress(`preparing ${records.length} records`);
  const prepared = records.map(prepareRecord);
  const candidates = block(prepared, config, progress);
  const table = computeLevels(prepared, candidates.pairs, config.comparisons);
  return finish(prepared, candidates, table, config, options);
}

/** The same batch with the pairwise comparisons (most of the work) done by `levels`, e.g. worker threads. */
export async function linkRecordsWith(
  levels: LevelsStrategy,
  records: readonly LinkageRecord[],
  config: ModelConfig,
  options: LinkOptions = {},
): Promise<LinkResult> {
  const progress = options.onProgress ?? (() => undefined);
  progress(`preparing ${records.length} records`);
  const prepared = records.map(prepareRecord);
  const candidates = block(prepared, config, progress);
  const table = await levels(prepared, candidates.pairs, config.comparisons);
  return finish(prepared, candidates, table, config, options);
}

function block(prepared: Prepared[], config: ModelConfig, progress: (stage: string) => void): CandidatePairs {
  progress('blocking');
  const candidates = candidatePairs(prepared, config.blocking, config.maxBlockSize);
  progress(`${candidates.pairs.length} candidate pairs; comparing`);
  return candidates;
}

function finish(
  prepared: Prepared[],
  candidates: CandidatePairs,
  table: LevelTable,
  config: ModelConfig,
  options: LinkOptions,
): LinkResult {
  const progress = options.onProgress ?? (() => undefined);
  progress('training');
  const model = options.trained ?? trainModel(prepared, candidates, table, config);
  const tf =
    options.termFrequencies === false
      ? { total: prepared.length, counts: {} }
      : termFrequencies(prepared, model.comparisons);
  progress('scoring');
  const n = prepared.length;
  const { pairs } = candidates;
  const probability = scoreTable(prepared, pairs, table, model, tf);
  progress('clustering');
  const allow = options.allowPair;
  const evidence = evidenceForClustering(n, pairs, probability, model.thresholds);
  const links = allow ? evidence.filter((l) => allow(l.a, l.b)) : evidence;
  const personOf = clusterPersons(n, links, model.thresholds, options.decisions);
  return {
    prepared,
    model,
    candidatePairs: pairs.length,
    rules: candidates.reports,
    scored: evidence,
    personOf,
    comparisons: pairs.length,
    candidates,
  };
}

/**
 * The pairs clustering sees: those at or above review. Pairs below it are left out on purpose: the
 * service keeps only these (a stored population cannot keep every candidate pair), and batch and
 * incremental linkage must see the same evidence to give the same persons.
 */
function evidenceForClustering(
  n: number,
  pairs: Float64Array,
  probability: Float64Array,
  thresholds: ModelConfig['thresholds'],
): ScoredLink[] {
  const links: ScoredLink[] = [];
  for (let p = 0; p < pairs.length; p += 1) {
    if (probability[p]! < thresholds.review) continue;
    const a = Math.floor(pairs[p]! / n);
    links.push({ a, b: pairs[p]! - a * n, probability: probability[p]! });
  }
  return links;
}

/**
 * For each blocking rule, how many true pairs (records with equal truth values) it found: looked up in the
 * candidate pairs (sorted) with their rule masks, so it costs one binary search per true pair.
 */
export function truePairsPerRule(candidates: CandidatePairs, truth: readonly string[]): number[] {
  const n = truth.length;
  const kept = candidates.reports.map(() => 0);
  const byTruth = new Map<string, number[]>();
  truth.forEach((t, i) => {
    const list = byTruth.get(t);
    if (list) list.push(i);
    else byTruth.set(t, [i]);
  });
  const { pairs, rules } = candidates;
  for (const members of byTruth.values()) {
    for (let x = 0; x < members.length; x += 1)
      for (let y = x + 1; y < members.length; y += 1) {
        const key = members[x]! * n + members[y]!;
        let lo = 0;
        let hi = pairs.length - 1;
        while (lo <= hi) {
          const mid = (lo + hi) >> 1;
          if (pairs[mid]! < key) lo = mid + 1;
          else if (pairs[mid]! > key) hi = mid - 1;
          else {
            for (let r = 0; r < kept.length; r += 1) if (rules[mid]! & (1 << r)) kept[r]! += 1;
            break;
          }
        }
      }
  }
  return kept;
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

import { Rng } from '@joinedup/core';
import { COMPARISONS } from './comparisons.js';
import type { Prepared } from './features.js';
import type { CandidatePairs } from './blocking.js';
import type { ModelConfig, TrainedModel } from './model.js';
import type { LevelTable } from './pair-levels.js';
import { pairLevels } from './scoring.js';

const SMOOTHING = 0.5;

/**
 * Unsupervised training: u from random record pairs (nearly all non-matches), then m and the prior by
 * expectation-maximisation over the candidate pairs, with u held fixed. No labels are used. The levels of
 * the candidate pairs come precomputed (see computeLevels), so EM costs no string comparisons.
 */
export function trainModel(
  records: readonly Prepared[],
  candidates: Pick<CandidatePairs, 'pairs' | 'rules'>,
  table: LevelTable,
  config: ModelConfig,
): TrainedModel {
  const n = records.length;
  const names = config.comparisons;
  const K = names.length;
  const sizes = names.map((name) => COMPARISONS[name]!.levels.length);

  const rng = new Rng(config.training.seed);
  const uCounts = sizes.map((size) => new Array<number>(size).fill(SMOOTHING));
  const sample = Math.min(config.training.randomPairs, (n * (n - 1)) / 2);
  for (let s = 0; s < sample; s += 1) {
    const i = rng.int(0, n - 1);
    let j = rng.int(0, n - 2);
    if (j >= i) j += 1;
    pairLevels(records[i]!, records[j]!, names).levels.forEach((level, k) => {
      if (level >= 0) uCounts[k]![level]! += 1;
    });
  }
  const u = Object.fromEntries(names.map((name, k) => [name, normalise(uCounts[k]!)]));
  const uArr = names.map((name) => u[name]!);
  const { levels } = table;
  const count = candidates.pairs.length;

  // One EM session per blocking rule, over (a sample of) the pairs that rule finds, leaving out the
  // comparisons the rule blocked on (within its blocks they agree by construction, matches or not). Each
  // comparison's m is the pair-weighted mean over the sessions that could estimate it.
  const mSums = sizes.map((size) => new Array<number>(size).fill(0));
  const mWeights = new Array<number>(K).fill(0);
  config.blocking.forEach((rule, r) => {
    if (rule.train === false) return;
    const bit = 1 << r;
    let found = 0;
    for (let p = 0; p < count; p += 1) if (candidates.rules[p]! & bit) found += 1;
    if (found < MIN_SESSION_PAIRS) return;
    const stride = Math.max(1, Math.floor(found / MAX_SESSION_PAIRS));
    const members: number[] = [];
    for (let p = 0, seen = 0; p < count; p += 1)
      if (candidates.rules[p]! & bit && seen++ % stride === 0) members.push(p);
    const excluded = new Set(rule.keys.flatMap((key) => KEY_COMPARISON[key] ?? []));
    const active = names.map((name) => !excluded.has(name));
    const session = emSession(members, levels, K, uArr, sizes, active, config.training.iterations);
    names.forEach((_, k) => {
      if (!active[k] || session.observed[k]! < MIN_SESSION_PAIRS / 2) return;
      session.m[k]!.forEach((v, l) => (mSums[k]![l]! += v * found));
      mWeights[k]! += found;
    });
  });
  const m = names.map((_, k) => (mWeights[k]! > 0 ? normalise(mSums[k]!) : initialM(sizes[k]!)));

  // The prior among candidate pairs, with m and u fixed: the mean posterior.
  const ratio = names.map((_, k) => m[k]!.map((v, l) => Math.log(v / uArr[k]![l]!)));
  const evidence = new Float64Array(count);
  for (let p = 0; p < count; p += 1) {
    let w = 0;
    for (let k = 0; k < K; k += 1) {
      const level = levels[p * K + k]!;
      if (level >= 0) w += ratio[k]![level]!;
    }
    evidence[p] = w;
  }
  let prior = 0.1;
  for (let iteration = 0; iteration < config.training.iterations; iteration += 1) {
    const logPrior = Math.log(prior / (1 - prior));
    let total = 0;
    for (let p = 0; p < count; p += 1) total += 1 / (1 + Math.exp(-(logPrior + evidence[p]!)));
    const next = Math.min(0.999, Math.max(1e-6, total / Math.max(1, count)));
    const moved = Math.abs(next - prior);
    prior = next;
    if (moved < CONVERGED * prior) break;
  }
  // u comes from random pairs, so the prior that goes with it is also over all pairs (not just candidates):
  // the expected matches among the candidates, spread over every pair the records could make.
  const allPairs = (n * (n - 1)) / 2;
  const randomPairPrior = Math.min(0.5, Math.max(1e-12, (prior * count) / Math.max(1, allPairs)));
  return {
    ...config,
    prior: randomPairPrior,
    m: Object.fromEntries(names.map((name, k) => [name, m[k]!.map((v) => Number(v.toPrecision(6)))])),
    u: Object.fromEntries(names.map((name) => [name, u[name]!.map((v) => Number(v.toPrecision(6)))])),
    trainedOn: { records: n, candidatePairs: count, randomPairs: sample },
  };
}

const MIN_SESSION_PAIRS = 50;
/** EM needs thousands of pairs, not millions: bigger sessions are sampled evenly. */
const MAX_SESSION_PAIRS = 50_000;
/** EM stops early once no estimate moves by more than this between iterations. */
const CONVERGED = 1e-5;

/** The comparison a blocking key part implies agreement on. */
const KEY_COMPARISON: Record<string, string | string[]> = {
  nhs: 'nhs',
  ni: 'ni',
  upn: 'upn',
  identifier: 'identifier',
  email: 'email',
  uprn: ['address', 'home'],
  locality: ['locality', 'home'],
  'dob-unordered': 'dob',
  'birth-year': 'dob',
  'dob-month-day': 'dob',
  'family-phonetic': 'family',
  'family-exact': 'family',
  'given-phonetic': 'given',
  'given-initial': 'given',
  'given-exact': 'given',
  'given-canonical': 'given',
  'family-initial': 'family',
  'names-phonetic-unordered': ['given', 'family'],
  postcode: ['postcode', 'home'],
  'postcode-outward': ['postcode', 'home'],
};

/** Start from "matches mostly agree": each weaker level half as likely, the last (disagreement) rare. */
function initialM(size: number): number[] {
  return normalise(Array.from({ length: size }, (_, l) => (l === size - 1 ? 0.02 : 0.98 / 2 ** (l + 1))));
}

/** EM over one session's pairs with u fixed; returns m for the active comparisons. */
function emSession(
  members: number[],
  levels: Int8Array,
  K: number,
  u: number[][],
  sizes: number[],
  active: boolean[],
  iterations: number,
) {
  let prior = 0.3;
  let m = sizes.map(initialM);
  const observed = sizes.map(() => 0);
  for (let iteration = 0; iteration < iterations; iteration += 1) {
    const logPrior = Math.log(prior / (1 - prior));
    const ratio = m.map((mk, k) => mk.map((v, l) => Math.log(v / u[k]![l]!)));
    const sums = sizes.map((size) => new Array<number>(size).fill(1e-3));
    observed.fill(0);
    let total = 0;
    // E and M steps in one pass over the pairs.
    for (const p of members) {
      let w = logPrior;
      for (let k = 0; k < K; k += 1) {
        const level = levels[p * K + k]!;
        if (active[k] && level >= 0) w += ratio[k]![level]!;
      }
      const posterior = 1 / (1 + Math.exp(-w));
      total += posterior;
      for (let k = 0; k < K; k += 1) {
        const level = levels[p * K + k]!;
        if (level >= 0) {
          sums[k]![level]! += posterior;
          observed[k]! += 1;
        }
      }
    }
    const nextPrior = Math.min(0.999, Math.max(1e-6, total / members.length));
    const next = sums.map(normalise);
    const moved = Math.max(
      Math.abs(nextPrior - prior),
      ...next.map((mk, k) => Math.max(...mk.map((v, l) => Math.abs(v - m[k]![l]!)))),
    );
    prior = nextPrior;
    m = next;
    if (moved < CONVERGED) break;
  }
  return { m, observed };
}

function normalise(values: number[]): number[] {
  const sum = values.reduce((s, v) => s + v, 0);
  return values.map((v) => v / sum);
}

import { Rng } from '@joinedup/core';
import { COMPARISONS } from './comparisons.js';
import type { Prepared } from './features.js';
import { blockingKey } from './blocking.js';
import type { BlockingRule, ModelConfig, TrainedModel } from './model.js';
import { pairLevels } from './scoring.js';

const SMOOTHING = 0.5;

/**
 * Unsupervised training: u from random record pairs (nearly all non-matches), then m and the prior by
 * expectation-maximisation over the candidate pairs, with u held fixed. No labels are used.
 */
export function trainModel(records: readonly Prepared[], pairs: Float64Array, config: ModelConfig): TrainedModel {
  const n = records.length;
  const names = config.comparisons;
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

  // Levels of every candidate pair, computed once: EM iterations then cost no string comparisons.
  const count = pairs.length;
  const levels = names.map(() => new Int8Array(count));
  for (let p = 0; p < count; p += 1) {
    const key = pairs[p]!;
    const i = Math.floor(key / n);
    const pl = pairLevels(records[i]!, records[key - i * n]!, names);
    pl.levels.forEach((level, k) => (levels[k]![p] = level));
  }
  const uArr = names.map((name) => u[name]!);

  // One EM session per blocking rule, over the pairs that rule finds, leaving out the comparisons the rule
  // blocked on (within its blocks they agree by construction, matches or not). Each comparison's m is the
  // pair-weighted mean over the sessions that could estimate it.
  const mSums = sizes.map((size) => new Array<number>(size).fill(0));
  const mWeights = new Array<number>(names.length).fill(0);
  for (const rule of config.blocking) {
    const excluded = new Set(rule.keys.map((key) => KEY_COMPARISON[key]).filter(Boolean));
    const members: number[] = [];
    for (let p = 0; p < count; p += 1) if (ruleKeyMatches(rule, records, pairs[p]!, n)) members.push(p);
    if (members.length < MIN_SESSION_PAIRS) continue;
    const active = names.map((name) => !excluded.has(name));
    const session = emSession(members, levels, uArr, sizes, active, config.training.iterations);
    names.forEach((_, k) => {
      if (!active[k] || session.observed[k]! < MIN_SESSION_PAIRS / 2) return;
      session.m[k]!.forEach((v, l) => (mSums[k]![l]! += v * members.length));
      mWeights[k]! += members.length;
    });
  }
  const m = names.map((_, k) => (mWeights[k]! > 0 ? normalise(mSums[k]!) : initialM(sizes[k]!)));

  // The prior among candidate pairs, with m and u fixed: the mean posterior.
  let prior = 0.1;
  for (let iteration = 0; iteration < config.training.iterations; iteration += 1) {
    const logPrior = Math.log(prior / (1 - prior));
    let total = 0;
    for (let p = 0; p < count; p += 1) {
      let w = logPrior;
      for (let k = 0; k < names.length; k += 1) {
        const level = levels[k]![p]!;
        if (level >= 0) w += Math.log(m[k]![level]! / uArr[k]![level]!);
      }
      total += 1 / (1 + Math.exp(-w));
    }
    prior = Math.min(0.999, Math.max(1e-6, total / Math.max(1, count)));
  }
  return {
    ...config,
    prior,
    m: Object.fromEntries(names.map((name, k) => [name, m[k]!.map((v) => Number(v.toPrecision(6)))])),
    u: Object.fromEntries(names.map((name) => [name, u[name]!.map((v) => Number(v.toPrecision(6)))])),
    trainedOn: { records: n, candidatePairs: count, randomPairs: sample },
  };
}

const MIN_SESSION_PAIRS = 50;

/** The comparison a blocking key part implies agreement on. */
const KEY_COMPARISON: Record<string, string> = {
  nhs: 'nhs',
  ni: 'ni',
  upn: 'upn',
  identifier: 'identifier',
  email: 'email',
  uprn: 'address',
  locality: 'locality',
  'dob-unordered': 'dob',
  'birth-year': 'dob',
  'dob-month-day': 'dob',
  'family-phonetic': 'family',
  'family-exact': 'family',
  'given-phonetic': 'given',
  'given-initial': 'given',
  'given-exact': 'given',
  postcode: 'postcode',
  'postcode-outward': 'postcode',
};

function ruleKeyMatches(rule: BlockingRule, records: readonly Prepared[], key: number, n: number): boolean {
  const i = Math.floor(key / n);
  const a = blockingKey(rule, records[i]!);
  return a !== '' && a === blockingKey(rule, records[key - i * n]!);
}

/** Start from "matches mostly agree": each weaker level half as likely, the last (disagreement) rare. */
function initialM(size: number): number[] {
  return normalise(Array.from({ length: size }, (_, l) => (l === size - 1 ? 0.02 : 0.98 / 2 ** (l + 1))));
}

/** EM over one session's pairs with u fixed; returns m for the active comparisons. */
function emSession(
  members: number[],
  levels: Int8Array[],
  u: number[][],
  sizes: number[],
  active: boolean[],
  iterations: number,
) {
  let prior = 0.3;
  let m = sizes.map(initialM);
  const posterior = new Float64Array(members.length);
  const observed = sizes.map(() => 0);
  for (let iteration = 0; iteration < iterations; iteration += 1) {
    const logPrior = Math.log(prior / (1 - prior));
    let total = 0;
    members.forEach((p, x) => {
      let w = logPrior;
      for (let k = 0; k < sizes.length; k += 1) {
        const level = levels[k]![p]!;
        if (active[k] && level >= 0) w += Math.log(m[k]![level]! / u[k]![level]!);
      }
      posterior[x] = 1 / (1 + Math.exp(-w));
      total += posterior[x]!;
    });
    prior = Math.min(0.999, Math.max(1e-6, total / members.length));
    m = sizes.map((size, k) => {
      const sums = new Array<number>(size).fill(1e-3);
      let seen = 0;
      members.forEach((p, x) => {
        const level = levels[k]![p]!;
        if (level >= 0) {
          sums[level]! += posterior[x]!;
          seen += 1;
        }
      });
      observed[k] = seen;
      return normalise(sums);
    });
  }
  return { m, observed };
}

function normalise(values: number[]): number[] {
  const sum = values.reduce((s, v) => s + v, 0);
  return values.map((v) => v / sum);
}

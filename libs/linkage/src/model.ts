import { COMPARISONS } from './comparisons.js';

export interface BlockingRule {
  name: string;
  /** Key parts (see BLOCKING_KEYS); a record without every part is not in this rule's blocks. */
  keys: string[];
  /**
   * Whether EM may learn from this rule's pairs (default true). Rules that block on where people live find
   * whole households, another kind of group, and would teach the model that household members match.
   */
  train?: boolean;
  /** Overrides the model's maxBlockSize: a rule on one common field is only worth its small (rare-value) blocks. */
  maxBlockSize?: number;
}

/** The model as configured (config/linkage/model.json): what to compare, how to block, where to decide. */
export interface ModelConfig {
  version: string;
  comparisons: string[];
  blocking: BlockingRule[];
  /** Blocks bigger than this are skipped (and reported): they cost much and add little. */
  maxBlockSize: number;
  /** Match probabilities: at or above `link` link; at or above `review` send to a person; below, no link. */
  thresholds: { link: number; review: number };
  training: { randomPairs: number; iterations: number; seed: number };
}

/** A model with its estimates, written by training so it can be reviewed and versioned. */
export interface TrainedModel extends ModelConfig {
  /** Share of matches among candidate pairs, estimated by EM. */
  prior: number;
  m: Record<string, number[]>;
  u: Record<string, number[]>;
  trainedOn: { records: number; candidatePairs: number; randomPairs: number };
}

/** Checks a parsed model file and lists every problem at once. */
export function validateModelConfig(
  value: unknown,
): { ok: true; model: ModelConfig } | { ok: false; problems: string[] } {
  const problems: string[] = [];
  const m = value as Partial<ModelConfig> | null;
  if (!m || typeof m !== 'object') return { ok: false, problems: ['the model must be a JSON object'] };
  if (typeof m.version !== 'string') problems.push('version must be a string');
  if (!Array.isArray(m.comparisons) || m.comparisons.length === 0)
    problems.push('comparisons must be a non-empty list');
  else
    for (const c of m.comparisons)
      if (!COMPARISONS[c])
        problems.push(`comparison "${c}" is not known (known: ${Object.keys(COMPARISONS).join(', ')})`);
  if (!Array.isArray(m.blocking) || m.blocking.length === 0)
    problems.push('blocking must be a non-empty list of rules');
  else
    for (const rule of m.blocking)
      if (!rule?.name || !Array.isArray(rule.keys) || rule.keys.length === 0)
        problems.push('each blocking rule needs a name and keys');
  if (!Number.isInteger(m.maxBlockSize) || (m.maxBlockSize ?? 0) < 2)
    problems.push('maxBlockSize must be a whole number of at least 2');
  const t = m.thresholds;
  if (!t || !(t.link > 0 && t.link < 1) || !(t.review > 0 && t.review <= t.link))
    problems.push('thresholds need 0 < review <= link < 1');
  if (!m.training || !(m.training.randomPairs > 0) || !(m.training.iterations > 0))
    problems.push('training needs randomPairs and iterations');
  return problems.length > 0 ? { ok: false, problems } : { ok: true, model: m as ModelConfig };
}

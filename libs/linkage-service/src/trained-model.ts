import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { BrokerError } from '@joinedup/core';
import { type TrainedModel, validateModelConfig } from '@joinedup/linkage';

/**
 * The model the service links with: trained once (`npm run link -- --write-model`), reviewed and
 * versioned under config/linkage/trained/, so incremental and batch linkage score pairs identically.
 */
export const DEFAULT_TRAINED_MODEL = 'config/linkage/trained/default.json';

export function loadTrainedModel(path = DEFAULT_TRAINED_MODEL): TrainedModel {
  const raw = JSON.parse(readFileSync(resolve(path), 'utf8')) as TrainedModel;
  const checked = validateModelConfig(raw);
  const problems = checked.ok ? [] : [...checked.problems];
  for (const name of raw.comparisons ?? [])
    if (!raw.m?.[name] || !raw.u?.[name]) problems.push(`comparison "${name}" has no trained m and u`);
  if (!(raw.prior > 0 && raw.prior < 1)) problems.push('prior must be between 0 and 1');
  if (problems.length > 0) throw new BrokerError('CONFIG_INVALID', `trained model ${path} is not usable`, { problems });
  return raw;
}

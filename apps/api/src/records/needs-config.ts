import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { BrokerError } from '@joinedup/core';

/** Reads config/needs.json: the need codes agencies may send. */
export function loadNeedCodes(path = resolve('config/needs.json')): ReadonlySet<string> {
  const parsed = JSON.parse(readFileSync(path, 'utf8')) as { codes?: unknown };
  if (
    !Array.isArray(parsed.codes) ||
    !parsed.codes.every((c) => typeof c === 'string' && /^[a-z][a-z0-9-]{0,63}$/.test(c))
  ) {
    throw new BrokerError('CONFIG_INVALID', `${path}: "codes" must be a list of lowercase kebab-case need codes`);
  }
  return new Set(parsed.codes as string[]);
}

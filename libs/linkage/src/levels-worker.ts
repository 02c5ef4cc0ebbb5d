// A worker thread that compares candidate pairs: it prepares the records once (for the service's batch,
// it prepares some pages of source records as they are read, answering their StoredFeatures, and is
// given the others' StoredFeatures), then fills a shared table of levels alongside the other threads,
// and for the batch works out each record's index row parts as text.
import { parentPort, workerData } from 'node:worker_threads';
import { blockingKeyHashInto } from './blocking.js';
import { textArrayLiteral } from '@joinedup/core';
import { familyKeys } from './families.js';
import { prepareRecord, type Prepared } from './features.js';
import { fromCanonical, type LinkageRecord } from './linkage-record.js';
import type { BlockingRule } from './model.js';
import { fillSharedLevels, type SharedLevels } from './pair-levels.js';
import type { IndexRowParts, SourcePage } from './parallel-levels.js';
import { fromStored, type StoredFeatures, toStored } from './stored-features.js';

const data = workerData as { records: LinkageRecord[]; comparisons: string[] } | { stored: true };
const prepared: Prepared[] = 'records' in data ? data.records.map(prepareRecord) : [];
/** Each batch record's StoredFeatures as JSON, kept from preparing for its index row. */
const storedText: string[] = [];

/** A page of source records prepared and kept; answers their StoredFeatures as one JSON array. */
function preparePage(page: SourcePage): string {
  const texts = page.records.map((json, i) => {
    let p: Prepared;
    try {
      p = prepareRecord(fromCanonical(page.agencies[i]!, JSON.parse(json), page.invalidFields[i]));
    } catch (error) {
      // Its kind and place only: a parser's message quotes the record.
      throw new Error(`record ${prepared.length + 1} could not be prepared (${(error as Error).name})`);
    }
    prepared.push(p);
    const text = JSON.stringify(toStored(p));
    storedText.push(text);
    return text;
  });
  return `[${texts.join(',')}]`;
}

/**
 * Every record's index row parts: features as JSON, blocking keys hashed as a PostgreSQL bigint array,
 * family keys as a text array.
 */
function indexRows(rules: readonly BlockingRule[]): IndexRowParts[] {
  // Two 32-bit words a hash, and at most one key a rule: one record's, reused.
  const hashes = new Uint32Array(2 * rules.length);
  return prepared.map((p, i): IndexRowParts => {
    let n = 0;
    for (const rule of rules) if (blockingKeyHashInto(rule, p, hashes, 2 * n)) n += 1;
    const asBigInt = new BigInt64Array(hashes.buffer, 0, n);
    return [storedText[i]!, `{${asBigInt.join(',')}}`, textArrayLiteral(familyKeys(p))];
  });
}

type Message =
  | { prepare: SourcePage }
  | { stored: string[] }
  | { index: BlockingRule[] }
  | { shared: SharedLevels; comparisons: string[] };

parentPort!.on('message', (message: Message) => {
  if ('prepare' in message) parentPort!.postMessage(preparePage(message.prepare));
  else if ('stored' in message)
    for (const text of message.stored) {
      prepared.push(fromStored(JSON.parse(text) as StoredFeatures));
      storedText.push(text);
    }
  else if ('index' in message) parentPort!.postMessage(indexRows(message.index));
  else {
    fillSharedLevels(prepared, message.shared, message.comparisons);
    parentPort!.postMessage('filled');
  }
});
// In the records' mode the first message says they are prepared (see parallelLevels).
if ('records' in data) parentPort!.postMessage('ready');

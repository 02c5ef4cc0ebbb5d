// A worker thread that compares candidate pairs: it prepares the records once (or, for the service's
// batch, receives them already prepared as StoredFeatures, a page at a time), then fills a shared table
// of levels alongside the other threads, and for the batch works out each record's index row parts as
// text and the blocks' sizes.
import { parentPort, workerData } from 'node:worker_threads';
import { blockHashInto, countBlocks } from './block-hash.js';
import { blockingKeys } from './blocking.js';
import { familyKeys } from './families.js';
import { prepareRecord, type Prepared } from './features.js';
import type { LinkageRecord } from './linkage-record.js';
import type { BlockingRule } from './model.js';
import { fillSharedLevels, type SharedLevels } from './pair-levels.js';
import type { IndexRowParts, IndexRows } from './parallel-levels.js';
import { fromStored, type StoredFeatures, toStored } from './stored-features.js';

const data = workerData as { records: LinkageRecord[]; comparisons: string[] } | { stored: true };
const prepared: Prepared[] = 'records' in data ? data.records.map(prepareRecord) : [];

/**
 * Every record's index row parts (features and family keys as JSON, blocking keys hashed as a
 * PostgreSQL bigint array) and every block's size, as lines for COPY (`key TAB size`, ascending).
 */
function indexRows(rules: readonly BlockingRule[]): IndexRows {
  // Two 32-bit words a hash, and at most one key a rule for each record.
  const hashes = new Uint32Array(2 * rules.length * prepared.length);
  let n = 0;
  const rows = prepared.map((p): IndexRowParts => {
    const keys = blockingKeys(p, rules);
    const from = n;
    for (const key of keys) blockHashInto(key, hashes, 2 * n++);
    const asBigInt = new BigInt64Array(hashes.buffer, 8 * from, keys.length);
    return [JSON.stringify(toStored(p)), `{${asBigInt.join(',')}}`, JSON.stringify(familyKeys(p))];
  });
  const blocks = countBlocks(new BigInt64Array(hashes.buffer, 0, n));
  const lines: string[] = [];
  for (let i = 0; i < blocks.keys.length; i += 1) lines.push(`${blocks.keys[i]}\t${blocks.sizes[i]}\n`);
  return { rows, blocks: lines };
}

type Message = { page: string } | { index: BlockingRule[] } | { shared: SharedLevels; comparisons: string[] };

parentPort!.on('message', (message: Message) => {
  if ('page' in message) for (const s of JSON.parse(message.page) as StoredFeatures[]) prepared.push(fromStored(s));
  else if ('index' in message) parentPort!.postMessage(indexRows(message.index));
  else {
    fillSharedLevels(prepared, message.shared, message.comparisons);
    parentPort!.postMessage('filled');
  }
});
// In the records' mode the first message says they are prepared (see parallelLevels).
if ('records' in data) parentPort!.postMessage('ready');

// A worker thread that compares candidate pairs: it prepares the records once (or, for the service's
// batch, receives them already prepared as StoredFeatures, a page at a time), then answers slices of
// pairs with their levels (transferred back, not copied), and for the batch each record's index row
// parts as JSON text.
import { parentPort, workerData } from 'node:worker_threads';
import { blockingKeys } from './blocking.js';
import { familyKeys } from './families.js';
import { prepareRecord, type Prepared } from './features.js';
import type { LinkageRecord } from './linkage-record.js';
import type { BlockingRule } from './model.js';
import { computeLevels } from './pair-levels.js';
import { fromStored, type StoredFeatures, toStored } from './stored-features.js';

const data = workerData as { records: LinkageRecord[]; comparisons: string[] } | { stored: true };
const prepared: Prepared[] = 'records' in data ? data.records.map(prepareRecord) : [];
const answer = (pairs: Float64Array, comparisons: readonly string[]) => {
  const table = computeLevels(prepared, pairs, comparisons);
  parentPort!.postMessage(table, [table.levels.buffer as ArrayBuffer, table.swapped.buffer as ArrayBuffer]);
};

type Message =
  Float64Array | { page: string } | { index: BlockingRule[] } | { pairs: Float64Array; comparisons: string[] };

parentPort!.on('message', (message: Message) => {
  if (message instanceof Float64Array) answer(message, (data as { comparisons: string[] }).comparisons);
  else if ('page' in message)
    for (const s of JSON.parse(message.page) as StoredFeatures[]) prepared.push(fromStored(s));
  else if ('index' in message)
    parentPort!.postMessage(
      prepared.map((p) => [
        JSON.stringify(toStored(p)),
        JSON.stringify(blockingKeys(p, message.index)),
        JSON.stringify(familyKeys(p)),
      ]),
    );
  else answer(message.pairs, message.comparisons);
});
// In the records' mode the first message says they are prepared (see parallelLevels).
if ('records' in data) parentPort!.postMessage('ready');

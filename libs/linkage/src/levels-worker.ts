// A worker thread that compares candidate pairs: it prepares the records once (or, for the service's
// batch, receives them already prepared as StoredFeatures, a page at a time), then answers slices of
// pairs with their levels (transferred back, not copied).
import { parentPort, workerData } from 'node:worker_threads';
import { prepareRecord, type Prepared } from './features.js';
import type { LinkageRecord } from './linkage-record.js';
import { computeLevels } from './pair-levels.js';
import { fromStored, type StoredFeatures } from './stored-features.js';

const data = workerData as { records: LinkageRecord[]; comparisons: string[] } | { stored: true };
const prepared: Prepared[] = 'records' in data ? data.records.map(prepareRecord) : [];
const answer = (pairs: Float64Array, comparisons: readonly string[]) => {
  const table = computeLevels(prepared, pairs, comparisons);
  parentPort!.postMessage(table, [table.levels.buffer as ArrayBuffer, table.swapped.buffer as ArrayBuffer]);
};
parentPort!.on(
  'message',
  (message: Float64Array | { page: string } | { pairs: Float64Array; comparisons: string[] }) => {
    if (message instanceof Float64Array) answer(message, (data as { comparisons: string[] }).comparisons);
    else if ('page' in message)
      for (const s of JSON.parse(message.page) as StoredFeatures[]) prepared.push(fromStored(s));
    else answer(message.pairs, message.comparisons);
  },
);
parentPort!.postMessage('ready');

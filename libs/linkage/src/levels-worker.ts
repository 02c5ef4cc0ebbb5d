// A worker thread that compares candidate pairs: it prepares the records once, then answers slices of
// pairs with their levels (transferred back, not copied).
import { parentPort, workerData } from 'node:worker_threads';
import { prepareRecord } from './features.js';
import type { LinkageRecord } from './linkage-record.js';
import { computeLevels } from './pair-levels.js';

const { records, comparisons } = workerData as { records: LinkageRecord[]; comparisons: string[] };
const prepared = records.map(prepareRecord);
parentPort!.on('message', (pairs: Float64Array) => {
  const table = computeLevels(prepared, pairs, comparisons);
  parentPort!.postMessage(table, [table.levels.buffer as ArrayBuffer, table.swapped.buffer as ArrayBuffer]);
});
parentPort!.postMessage('ready');

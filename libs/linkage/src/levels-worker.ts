// A worker thread that compares candidate pairs: it prepares the records once (for the service's batch,
// it prepares some pages of source records as they are read, answering their StoredFeatures, and is
// given the others' StoredFeatures), then fills a shared table of levels alongside the other threads,
// and for the batch writes each record's index row as COPY text bytes.
import { parentPort, workerData } from 'node:worker_threads';
import { blockingKeyHashInto } from './blocking.js';
import { copyTextFields, textArrayLiteral } from '@joinedup/core';
import { familyKeys } from './families.js';
import { prepareRecord, type Prepared } from './features.js';
import { fromCanonical, type LinkageRecord } from './linkage-record.js';
import type { BlockingRule } from './model.js';
import { fillSharedLevels, type SharedLevels } from './pair-levels.js';
import type { SourcePage } from './parallel-levels.js';
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
 * Every record's index row as COPY text bytes (see IndexRowBytes), in a buffer that grows as it fills
 * and is moved, not copied, to the asking thread.
 */
function indexRows(rules: readonly BlockingRule[]): { buffer: ArrayBuffer; length: number; ends: Float64Array } {
  // Two 32-bit words a hash, and at most one key a rule: one record's, reused.
  const hashes = new Uint32Array(2 * rules.length);
  const ends = new Float64Array(prepared.length);
  let buffer = new ArrayBuffer(Math.max(1 << 16, prepared.length * 512));
  let out = Buffer.from(buffer);
  let length = 0;
  prepared.forEach((p, i) => {
    let n = 0;
    for (const rule of rules) if (blockingKeyHashInto(rule, p, hashes, 2 * n)) n += 1;
    const keys = new BigInt64Array(hashes.buffer, 0, n).join(',');
    const row = copyTextFields([storedText[i]!, `{${keys}}`, textArrayLiteral(familyKeys(p))]);
    // UTF-8 takes at most three bytes a UTF-16 unit.
    if (length + 3 * row.length > buffer.byteLength) {
      const bigger = new ArrayBuffer(Math.max(2 * buffer.byteLength, length + 3 * row.length));
      new Uint8Array(bigger).set(new Uint8Array(buffer, 0, length));
      buffer = bigger;
      out = Buffer.from(buffer);
    }
    length += out.write(row, length);
    ends[i] = length;
  });
  return { buffer, length, ends };
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
  else if ('index' in message) {
    const rows = indexRows(message.index);
    parentPort!.postMessage(rows, [rows.buffer, rows.ends.buffer as ArrayBuffer]);
  } else {
    fillSharedLevels(prepared, message.shared, message.comparisons);
    parentPort!.postMessage('filled');
  }
});
// In the records' mode the first message says they are prepared (see parallelLevels).
if ('records' in data) parentPort!.postMessage('ready');

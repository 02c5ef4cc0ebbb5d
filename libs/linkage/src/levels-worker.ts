// A worker thread that compares candidate pairs: it prepares the records once (for the service's batch,
// it prepares some pages of source records as they are read, answering their StoredFeatures and key
// hashes, and is given the others'), then fills a shared table of levels alongside the other threads,
// and for the batch writes each record's index row as COPY text bytes.
import { parentPort, workerData } from 'node:worker_threads';
import { copyJsonField, copyTextField, textArrayLiteral, writeUtf8 } from '@joinedup/core';
import { writeHashDecimal } from './block-hash.js';
import { familyKeys } from './families.js';
import { prepareRecord, type Prepared } from './features.js';
import { keyHashesOf } from './blocking.js';
import type { KeyHashes } from './key-hashes.js';
import { fromCanonical, type LinkageRecord } from './linkage-record.js';
import type { BlockingRule } from './model.js';
import { fillSharedLevels, type SharedLevels } from './pair-levels.js';
import type { PreparedPage, SourcePage } from './parallel-levels.js';
import { fromStored, type StoredFeatures, toStored } from './stored-features.js';

const data = workerData as { records: LinkageRecord[]; comparisons: string[] } | { rules: BlockingRule[] };
const prepared: Prepared[] = 'records' in data ? data.records.map(prepareRecord) : [];
/** Each batch record's StoredFeatures as JSON, kept from preparing for its index row. */
const storedText: string[] = [];
/** The batch records' key hashes, a page at a time. */
const hashPages: KeyHashes[] = [];

/** A page of source records prepared and kept; answers their StoredFeatures as one JSON array, and key hashes. */
function preparePage(page: SourcePage, rules: readonly BlockingRule[]): PreparedPage {
  const first = prepared.length;
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
  const hashes = keyHashesOf(prepared.slice(first), rules);
  hashPages.push(hashes);
  return { text: `[${texts.join(',')}]`, hashes };
}

/**
 * Every record's index row as COPY text bytes (see IndexRowBytes), in a buffer that grows as it fills
 * and is moved, not copied, to the asking thread. Written straight in as bytes: joined as strings first,
 * the keys' decimal text (as BigInts) and the encoding were most of this thread's time at a million.
 */
function indexRows(rules: number): { buffer: ArrayBuffer; length: number; ends: Float64Array } {
  const ends = new Float64Array(prepared.length);
  // About 550 bytes a record on the synthetic place: room for that, not a gigabyte to grow into and copy.
  let buffer = new ArrayBuffer(Math.max(1 << 16, prepared.length * 640));
  let out = Buffer.from(buffer);
  let length = 0;
  let i = 0;
  for (const { words, present } of hashPages) {
    for (let first = 0; first < present.length; first += rules, i += 1) {
      const features = storedText[i]!;
      const field = copyJsonField(features);
      const family = copyTextField(textArrayLiteral(familyKeys(prepared[i]!)));
      // UTF-8 takes at most three bytes a UTF-16 unit; a key at most 21 bytes with its comma.
      const most = 3 * (field.length + family.length) + 21 * rules + 4;
      if (length + most > buffer.byteLength) {
        const bigger = new ArrayBuffer(Math.max(2 * buffer.byteLength, length + most));
        new Uint8Array(bigger).set(new Uint8Array(buffer, 0, length));
        buffer = bigger;
        out = Buffer.from(buffer);
      }
      length = writeUtf8(out, length, field);
      out[length++] = 9; // tab
      out[length++] = 123; // {
      let none = true;
      for (let slot = first; slot < first + rules; slot += 1) {
        if (present[slot] !== 1) continue;
        if (!none) out[length++] = 44; // ,
        none = false;
        length = writeHashDecimal(out, length, words[2 * slot]!, words[2 * slot + 1]!);
      }
      out[length++] = 125; // }
      out[length++] = 9;
      length = writeUtf8(out, length, family);
      ends[i] = length;
    }
  }
  if (i !== prepared.length) throw new Error(`key hashes for ${i} of ${prepared.length} records`);
  return { buffer, length, ends };
}

type Message =
  | { prepare: SourcePage }
  | { stored: string[]; hashes: KeyHashes }
  | { index: true }
  | { shared: SharedLevels; comparisons: string[] };

/** The batch's blocking rules (none for parallelLevels, which writes no index rows). */
const rules = 'rules' in data ? data.rules : [];

parentPort!.on('message', (message: Message) => {
  if ('prepare' in message) parentPort!.postMessage(preparePage(message.prepare, rules));
  else if ('stored' in message) {
    for (const text of message.stored) {
      prepared.push(fromStored(JSON.parse(text) as StoredFeatures));
      storedText.push(text);
    }
    hashPages.push(message.hashes);
  } else if ('index' in message) {
    const rows = indexRows(rules.length);
    parentPort!.postMessage(rows, [rows.buffer, rows.ends.buffer as ArrayBuffer]);
  } else {
    fillSharedLevels(prepared, message.shared, message.comparisons);
    parentPort!.postMessage('filled');
  }
});
// In the records' mode the first message says they are prepared (see parallelLevels).
if ('records' in data) parentPort!.postMessage('ready');

import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { LinkageRecord } from './linkage-record.js';
import type { LevelsStrategy } from './link-records.js';
import type { Prepared } from './features.js';
import type { KeyHashes } from './key-hashes.js';
import type { BlockingRule } from './model.js';
import { fillSharedLevels, type LevelTable, sharedLevels } from './pair-levels.js';

/** Run from TypeScript sources (tsx) or from the build: the worker file has the same extension. */
const fromSource = import.meta.url.endsWith('.ts');
const workerFile = new URL(fromSource ? './levels-worker.ts' : './levels-worker.js', import.meta.url);
/** From sources the worker first registers tsx's loader (an --import flag does not reach worker threads). */
const entry = fromSource
  ? new URL(
      `data:text/javascript,${encodeURIComponent(
        `import { register } from ${JSON.stringify(import.meta.resolve('tsx/esm/api'))}; register(); ` +
          `await import(${JSON.stringify(workerFile.href)});`,
      )}`,
    )
  : workerFile;

/**
 * Compares candidate pairs on every core: `threads - 1` worker threads plus this one, each claiming chunks
 * of one shared table until none are left. The workers get the raw records up front and prepare them
 * while this thread blocks.
 */
export function parallelLevels(
  records: readonly LinkageRecord[],
  comparisons: readonly string[],
  threads = availableParallelism(),
): { levels: LevelsStrategy; close: () => Promise<void> } {
  const workers = Array.from(
    { length: Math.max(0, threads - 1) },
    () => new Worker(entry, { workerData: { records, comparisons } }),
  );
  const ready = Promise.all(workers.map((w) => new Promise((resolve) => w.once('message', resolve))));
  const levels: LevelsStrategy = async (prepared, pairs, names) => {
    if (names.join() !== comparisons.join()) throw new Error('parallelLevels was set up for other comparisons');
    await ready;
    const shared = sharedLevels(pairs, names.length);
    const filled = workers.map(
      (w) =>
        new Promise<void>((resolve, reject) => {
          w.once('message', () => resolve());
          w.once('error', reject);
          w.postMessage({ shared, comparisons: names });
        }),
    );
    fillSharedLevels(prepared, shared, names);
    await Promise.all(filled);
    return shared.table;
  };
  return { levels, close: async () => void (await Promise.all(workers.map((w) => w.terminate()))) };
}

/**
 * Every record's index row without its source record, agency and person, as the UTF-8 bytes of
 * PostgreSQL COPY text: its StoredFeatures as JSON, its blocking keys hashed (see blockHash) as a bigint
 * array and its family keys as a text array, each an escaped field, tab-separated. Record i's bytes run
 * from `ends[i - 1]` (0 for the first) to `ends[i]`. One buffer, moved and not copied between threads:
 * a million rows as three strings each were three million objects for the collector, and turning them
 * into bytes to send cost the batch seconds more than copying bytes does.
 */
export interface IndexRowBytes {
  bytes: Uint8Array;
  ends: Float64Array;
}

/** Record i's part of `rows`. */
export const indexRowOf = (rows: IndexRowBytes, i: number): Uint8Array =>
  rows.bytes.subarray(i === 0 ? 0 : rows.ends[i - 1]!, rows.ends[i]!);

/**
 * A page of source records as the batch reads them: each canonical record as its JSON text (parsed
 * there, not here), with its agency and the fields intake found invalid.
 */
export interface SourcePage {
  agencies: string[];
  records: string[];
  invalidFields: string[][];
}

/** A page as a thread prepared it: each record's StoredFeatures in one JSON array, and their key hashes. */
export interface PreparedPage {
  text: string;
  hashes: KeyHashes;
}

/**
 * A helper thread for the service's batch, which holds every record's prepared features as this thread
 * does. As the records are read, a page at a time, either the helper prepares them (`prepare`) and
 * answers their features as StoredFeatures JSON, one string a page (copied, not a million objects
 * cloned), with their key hashes under `rules`, or this thread does and sends it theirs (`add`). While
 * this thread blocks, the helper works out every record's index row (`indexRows`), with the features'
 * JSON and the key hashes kept from the pages; then `levels` compares the pairs there and here, each
 * thread taking chunks as it goes.
 */
export class LevelsHelper {
  private readonly worker: Worker;
  /** Answers come back in the order asked. */
  private readonly waiting: { resolve: (v: unknown) => void; reject: (e: Error) => void }[] = [];
  private sent = 0;

  constructor(
    private readonly comparisons: readonly string[],
    readonly rules: readonly BlockingRule[],
  ) {
    this.worker = new Worker(entry, { workerData: { rules } });
    this.worker.on('message', (answer: unknown) => this.waiting.shift()?.resolve(answer));
    // A thread that failed (even before anything was asked) fails every question, now and later.
    const fail = (error: Error) => {
      this.failed ??= error;
      this.waiting.splice(0).forEach((w) => w.reject(error));
    };
    this.worker.on('error', fail);
    this.worker.on('exit', (code) => fail(new Error(`the levels helper thread exited (${code})`)));
  }

  private failed: Error | undefined;

  private ask<T>(message: unknown, transfer: ArrayBuffer[] = []): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (this.failed) return reject(this.failed);
      this.waiting.push({ resolve: resolve as (v: unknown) => void, reject });
      this.worker.postMessage(message, transfer);
    });
  }

  /** The next records in order, prepared by this thread: each one's StoredFeatures as JSON, and key hashes. */
  add(stored: string[], hashes: KeyHashes): void {
    this.sent += stored.length;
    this.worker.postMessage({ stored, hashes });
  }

  /** Prepares the next records in order and keeps them; answers their StoredFeatures and key hashes. */
  prepare(page: SourcePage): Promise<PreparedPage> {
    this.sent += page.records.length;
    return this.ask<PreparedPage>({ prepare: page });
  }

  /** Every record's index row, in order (asked early: the helper works on them meanwhile). */
  async indexRows(): Promise<IndexRowBytes> {
    const { buffer, length, ends } = await this.ask<{ buffer: ArrayBuffer; length: number; ends: Float64Array }>({
      index: true,
    });
    return { bytes: new Uint8Array(buffer, 0, length), ends };
  }

  /** Every pair's levels, this thread and the helper claiming chunks of them until none are left. */
  async levels(prepared: readonly Prepared[], pairs: Float64Array): Promise<LevelTable> {
    if (this.sent !== prepared.length) throw new Error(`the helper holds ${this.sent} of ${prepared.length} records`);
    const shared = sharedLevels(pairs, this.comparisons.length);
    const theirs = this.ask<'filled'>({ shared, comparisons: this.comparisons });
    fillSharedLevels(prepared, shared, this.comparisons);
    await theirs;
    return shared.table;
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }
}

import { writeUtf8 } from '@joinedup/core';

/**
 * COPY text in buffers of about a megabyte: strings encoded into place (see writeUtf8: a batch writes a
 * million index rows through one, three strings each), bytes copied.
 */
export class CopyBuffer {
  private static readonly SIZE = 1 << 20;
  private buffer = Buffer.allocUnsafe(CopyBuffer.SIZE);
  private length = 0;

  get full(): boolean {
    return this.length >= CopyBuffer.SIZE >> 1;
  }

  get empty(): boolean {
    return this.length === 0;
  }

  text(value: string): void {
    this.room(3 * value.length); // UTF-8 takes at most three bytes a UTF-16 unit
    this.length = writeUtf8(this.buffer, this.length, value);
  }

  bytes(value: Uint8Array): void {
    this.room(value.length);
    this.buffer.set(value, this.length);
    this.length += value.length;
  }

  /** What was written, and a new buffer for what follows. */
  take(): Buffer {
    const written = this.buffer.subarray(0, this.length);
    this.buffer = Buffer.allocUnsafe(CopyBuffer.SIZE);
    this.length = 0;
    return written;
  }

  private room(bytes: number): void {
    if (this.length + bytes <= this.buffer.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(2 * this.buffer.length, this.length + bytes));
    this.buffer.copy(bigger, 0, 0, this.length);
    this.buffer = bigger;
  }
}

/** Rows written by `write` into CopyBuffers, each buffer given once half full (and the last). */
export function* inCopyBuffers<T>(rows: Iterable<T>, write: (out: CopyBuffer, row: T) => void): Generator<Buffer> {
  const out = new CopyBuffer();
  for (const row of rows) {
    write(out, row);
    if (out.full) yield out.take();
  }
  if (!out.empty) yield out.take();
}

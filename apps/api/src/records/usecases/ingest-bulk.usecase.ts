import type { IntakeContext, LineResult, PreparedRecord, RecordIntakeService } from '../record-intake.service.js';

export interface BulkSummary {
  lines: number;
  accepted: number;
  updated: number;
  unchanged: number;
  warnings: number;
  rejected: number;
}

export interface BulkOptions {
  /** Records per transaction: a dropped connection loses at most the chunk in flight, never a committed one. */
  chunkSize: number;
  /** Longer lines are rejected without being parsed. */
  maxLineBytes: number;
}

export const DEFAULT_BULK_OPTIONS: BulkOptions = { chunkSize: 2000, maxLineBytes: 256 * 1024 };

/**
 * Streams an NDJSON body: splits lines, validates each, writes valid ones in chunks (one transaction
 * each) and emits one answer per line in order. Memory stays bounded by the chunk size: the body is
 * read only as fast as chunks commit.
 */
export async function ingestBulk(
  body: AsyncIterable<Buffer | string>,
  intake: RecordIntakeService,
  agencyId: string,
  context: IntakeContext & { today: string },
  emit: (result: LineResult) => void,
  options: BulkOptions = DEFAULT_BULK_OPTIONS,
): Promise<BulkSummary> {
  const summary: BulkSummary = { lines: 0, accepted: 0, updated: 0, unchanged: 0, warnings: 0, rejected: 0 };
  let chunk: (PreparedRecord | LineResult)[] = [];
  let valid = 0;

  // One chunk is written while the next is parsed and validated: PostgreSQL and this process work at once.
  // At most one write is in flight, so memory stays bounded by two chunks.
  let inflight: Promise<void> = Promise.resolve();
  const writeAndEmit = async (pending: (PreparedRecord | LineResult)[]): Promise<void> => {
    const prepared = pending.filter((c): c is PreparedRecord => 'write' in c);
    const written = await intake.write(agencyId, prepared, context);
    const all = [...written, ...pending.filter((c): c is LineResult => !('write' in c))].sort(
      (a, b) => a.line - b.line,
    );
    for (const result of all) {
      if (result.status === 'rejected') summary.rejected += 1;
      else {
        summary[result.status === 'accepted' ? 'accepted' : result.status] += 1;
        if ('warnings' in result && result.warnings) summary.warnings += 1;
      }
      emit(result);
    }
  };
  const flush = async (): Promise<void> => {
    const pending = chunk;
    chunk = [];
    valid = 0;
    await inflight;
    inflight = writeAndEmit(pending);
    inflight.catch(() => undefined); // surfaced by the next await, never unhandled
  };

  const handleLine = async (raw: string, line: number, oversized: boolean): Promise<void> => {
    summary.lines = line;
    if (oversized) {
      chunk.push({
        line,
        status: 'rejected',
        errors: [{ field: '(line)', reason: `is longer than ${options.maxLineBytes} bytes` }],
      });
    } else if (raw.trim().length === 0) {
      summary.lines = line;
      return;
    } else {
      let parsed: unknown;
      try {
        parsed = JSON.parse(raw);
      } catch (error) {
        const reason = `is not valid JSON (${(error as Error).message.replace(/"[^"]*"/g, '…').slice(0, 120)})`;
        chunk.push({ line, status: 'rejected', errors: [{ field: '(line)', reason }] });
        parsed = undefined;
      }
      if (parsed !== undefined) {
        const prepared = intake.prepare(parsed, line, agencyId, context.today);
        chunk.push(prepared);
        if ('write' in prepared) valid += 1;
      }
    }
    if (valid >= options.chunkSize || chunk.length >= options.chunkSize * 4) await flush();
  };

  try {
    let line = 0;
    let carry = '';
    let skipping = false; // inside an oversized line, discarding until its newline
    const decoder = new TextDecoder('utf-8');
    for await (const piece of body) {
      const text = carry + (typeof piece === 'string' ? piece : decoder.decode(piece, { stream: true }));
      carry = '';
      let start = 0;
      for (let nl = text.indexOf('\n', start); nl !== -1; nl = text.indexOf('\n', start)) {
        line += 1;
        const raw = text.slice(start, nl);
        await handleLine(skipping ? '' : raw, line, skipping || Buffer.byteLength(raw) > options.maxLineBytes);
        skipping = false;
        start = nl + 1;
      }
      carry = text.slice(start);
      if (Buffer.byteLength(carry) > options.maxLineBytes) {
        carry = '';
        skipping = true;
      }
    }
    carry += decoder.decode();
    if (skipping || carry.length > 0) {
      line += 1;
      await handleLine(skipping ? '' : carry, line, skipping);
    }
  } catch (error) {
    // The body broke off: let the chunk in flight commit and be answered, then say so.
    await inflight.catch(() => undefined);
    throw error;
  }
  if (chunk.length > 0) await flush();
  await inflight;
  return summary;
}

import { DataSource } from 'typeorm';
import { systemClock } from '@joinedup/core';
import { createDataSource } from '@joinedup/persistence';
import { createTestDatabase, type TestDatabase } from '@joinedup/testing';
import type { LineResult } from '../record-intake.service.js';
import { AuditTrail } from '../../audit/audit-trail.service.js';
import { RecordIntakeService } from '../record-intake.service.js';
import { ingestBulk } from './ingest-bulk.usecase.js';

const AGENCY = 'northmoor-csc';
const context = {
  today: '2026-11-24',
  correlationId: 'test',
  actor: { kind: 'agency-client' as const, id: `${AGENCY}.test-client`, agency: AGENCY },
};

function record(n: number, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    agency: AGENCY,
    externalId: `r-${n}`,
    version: 1,
    name: { given: 'Ada', family: `Family${n}` },
    ...extra,
  });
}

async function* chunks(text: string, size = 97): AsyncGenerator<Buffer> {
  // Odd-sized pieces: lines and multi-byte characters are split across reads.
  const bytes = Buffer.from(text);
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

describe('ingestBulk', () => {
  let db: TestDatabase;
  let dataSource: DataSource;
  let intake: RecordIntakeService;
  beforeAll(async () => {
    db = await createTestDatabase();
    dataSource = createDataSource(db.appUrl);
    await dataSource.initialize();
    intake = new RecordIntakeService(dataSource, new AuditTrail(dataSource, systemClock));
  });
  afterAll(async () => {
    await dataSource.destroy();
    await db.drop();
  });

  async function run(text: string, options = { chunkSize: 3, maxLineBytes: 2048 }) {
    const results: LineResult[] = [];
    const summary = await ingestBulk(chunks(text), intake, AGENCY, context, (r) => results.push(r), options);
    return { results, summary };
  }

  it('answers every line of a malformed corpus at the right line and field, and keeps every valid line', async () => {
    const corpus = [
      record(1), // 1 valid
      '{"agency": "northmoor-csc", "externalId": "r-2", ', // 2 broken JSON
      record(3, { version: 'one' }), // 3 wrong type
      record(4, { birthDate: '2019-02-30' }), // 4 impossible date
      record(5, { identifiers: [{ system: 'nhs-number', value: '9434765918' }] }), // 5 bad check digit: warning
      record(6, { needs: ['astrology'] }), // 6 unknown code
      record(7, { name: { given: 'Ada', family: 'x'.repeat(500) } }), // 7 oversized value
      record(8, { agency: 'northmoor-police' }), // 8 another agency's line
      '"just a string"', // 9 not an object
      record(10, { note: 'x'.repeat(3000) }), // 10 line too long
      '', // 11 blank: skipped
      record(12, { name: { given: 'Zoë', family: 'Ñuñez' } }), // 12 valid, multi-byte
    ].join('\n');
    const { results, summary } = await run(corpus);
    const byLine = new Map(results.map((r) => [r.line, r]));
    const fieldOf = (line: number) => {
      const r = byLine.get(line);
      return r?.status === 'rejected' ? r.errors[0]!.field : r?.status;
    };
    expect(fieldOf(1)).toBe('accepted');
    expect(fieldOf(2)).toBe('(line)');
    expect(fieldOf(3)).toBe('version');
    expect(fieldOf(4)).toBe('birthDate');
    expect(byLine.get(5)).toMatchObject({ status: 'accepted', warnings: [{ field: 'identifiers[0].value' }] });
    expect(fieldOf(6)).toBe('needs[0]');
    expect(fieldOf(7)).toBe('name.family');
    expect(fieldOf(8)).toBe('agency');
    expect(fieldOf(9)).toBe('(record)');
    expect(fieldOf(10)).toBe('(line)');
    expect(byLine.has(11)).toBe(false);
    expect(fieldOf(12)).toBe('accepted');
    expect(summary).toEqual({ lines: 12, accepted: 3, updated: 0, unchanged: 0, warnings: 1, rejected: 8 });
    expect(results.map((r) => r.line)).toEqual([...results.map((r) => r.line)].sort((a, b) => a - b));
    const stored = await intake.records.list(AGENCY, undefined, 100);
    expect(stored.map((r) => r.externalId).sort()).toEqual(['r-1', 'r-12', 'r-5']);
    expect(JSON.stringify(results)).not.toContain('Family3');
  });

  it('keeps committed chunks when the connection drops mid-file, and a retry of the file is safe', async () => {
    const lines = Array.from({ length: 10 }, (_, i) => record(100 + i)).join('\n');
    async function* dropsAfterSeven(): AsyncGenerator<Buffer> {
      const parts = lines.split('\n');
      for (let i = 0; i < parts.length; i += 1) {
        if (i === 7) throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
        yield Buffer.from(`${parts[i]}\n`);
      }
    }
    const answered: LineResult[] = [];
    await expect(
      ingestBulk(dropsAfterSeven(), intake, AGENCY, context, (r) => answered.push(r), {
        chunkSize: 3,
        maxLineBytes: 2048,
      }),
    ).rejects.toThrow('socket hang up');
    // Two chunks of three committed and were answered; the seventh line was in flight and is not stored.
    expect(answered.map((r) => r.status)).toEqual(Array(6).fill('accepted'));
    const afterDrop = (await intake.records.list(AGENCY, 'r-1', 100)).filter((r) => r.externalId.startsWith('r-10'));
    expect(afterDrop).toHaveLength(6);

    const retry = await run(lines);
    expect(retry.summary).toMatchObject({ lines: 10, accepted: 4, unchanged: 6, rejected: 0 });
  });

  it('answers a repeated external id in one file in file order: later versions update, repeats are unchanged', async () => {
    const text = [
      record(200),
      record(200, { version: 2, name: { given: 'Ada', family: 'Changed' } }),
      record(200, { version: 2, name: { given: 'Ada', family: 'Changed' } }),
    ].join('\n');
    const { results } = await run(text);
    expect(results.map((r) => r.status)).toEqual(['accepted', 'updated', 'unchanged']);
  });

  it('refuses an older version than the stored one, naming the field', async () => {
    await run(record(300, { version: 5 }));
    const { results } = await run(record(300, { version: 4, name: { given: 'Ada', family: 'Older' } }));
    expect(results[0]).toMatchObject({ status: 'rejected', errors: [{ field: 'version' }] });
  });
});

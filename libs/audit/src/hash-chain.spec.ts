import { auditHash, GENESIS, verifyChain, type AuditEventFields, type ChainedAuditEvent } from './hash-chain.js';

function fields(seq: number): AuditEventFields {
  return {
    seq,
    id: `00000000-0000-4000-8000-${String(seq).padStart(12, '0')}`,
    at: new Date(Date.UTC(2026, 10, 1, 9, 0, seq)).toISOString(),
    type: 'disclosure',
    actor: { kind: 'agency-client', id: 'client-1', agency: 'leeds-csc' },
    agencyId: 'leeds-csc',
    purpose: 'case-coordination',
    subjects: [`person-${seq}`],
    decision: 'allow',
    agreement: { id: 'agreement-1', version: 3 },
    details: { fields: ['name', 'dob'], n: seq },
  };
}

function chain(length: number): ChainedAuditEvent[] {
  const events: ChainedAuditEvent[] = [];
  let prevHash = GENESIS;
  for (let seq = 1; seq <= length; seq += 1) {
    const event = fields(seq);
    const hash = auditHash(prevHash, event);
    events.push({ ...event, prevHash, hash });
    prevHash = hash;
  }
  return events;
}

async function* slowly<T>(items: T[]): AsyncGenerator<T> {
  for (const item of items) yield await Promise.resolve(item);
}

describe('auditHash', () => {
  it('ignores key order and covers every field and the previous hash', () => {
    const event = fields(1);
    const reordered = {
      ...event,
      details: { n: 1, fields: ['name', 'dob'] },
      actor: { agency: 'leeds-csc', id: 'client-1', kind: 'agency-client' as const },
    };
    expect(auditHash(GENESIS, reordered)).toBe(auditHash(GENESIS, event));
    expect(auditHash('1'.repeat(64), event)).not.toBe(auditHash(GENESIS, event));
    for (const change of [{ seq: 2 }, { subjects: ['person-2'] }, { decision: 'deny' as const }, { details: {} }]) {
      expect(auditHash(GENESIS, { ...event, ...change })).not.toBe(auditHash(GENESIS, event));
    }
  });
});

describe('verifyChain', () => {
  it('accepts an intact chain from an iterable or an async iterable', async () => {
    expect(await verifyChain(chain(20))).toEqual({
      ok: true,
      checked: 20,
      head: { seq: 20, hash: chain(20)[19]!.hash },
    });
    expect(await verifyChain(slowly(chain(20)))).toMatchObject({ ok: true, checked: 20 });
    expect(await verifyChain([])).toEqual({ ok: true, checked: 0, head: null });
  });

  it('names an edited event', async () => {
    const events = chain(20);
    events[6] = { ...events[6]!, details: { fields: ['name', 'dob', 'address'], n: 7 } };
    expect(await verifyChain(events)).toMatchObject({
      ok: false,
      checked: 6,
      firstBroken: { seq: 7, reason: 'edited' },
    });
  });

  it('names the first missing seq of a removed event, and of a missing first event', async () => {
    const events = chain(20);
    events.splice(9, 1);
    expect(await verifyChain(events)).toMatchObject({
      ok: false,
      checked: 9,
      firstBroken: { seq: 10, reason: 'removed' },
    });
    expect(await verifyChain(chain(5).slice(1))).toMatchObject({ firstBroken: { seq: 1, reason: 'removed' } });
  });

  it('names reordered events: swapped seq values, and swapped lines', async () => {
    const swappedSeq = chain(20);
    const [a, b] = [swappedSeq[11]!, swappedSeq[12]!];
    swappedSeq[11] = { ...b, seq: 12 };
    swappedSeq[12] = { ...a, seq: 13 };
    expect(await verifyChain(swappedSeq)).toMatchObject({ checked: 11, firstBroken: { seq: 12, reason: 'reordered' } });

    const swappedLines = chain(20);
    [swappedLines[3], swappedLines[4]] = [swappedLines[4]!, swappedLines[3]!];
    expect(await verifyChain(swappedLines)).toMatchObject({ checked: 3, firstBroken: { seq: 4, reason: 'reordered' } });
  });

  it('names a rewritten event whose hash was recomputed as a broken link after it', async () => {
    const events = chain(10);
    const edited = { ...events[4]!, details: { forged: true } };
    events[4] = { ...edited, hash: auditHash(edited.prevHash, edited) };
    expect(await verifyChain(events)).toMatchObject({ firstBroken: { seq: 6, reason: 'relinked' } });
  });

  it('checks signed anchors: a rebuilt chain and a truncated one', async () => {
    const events = chain(10);
    const anchors = new Map([[8, events[7]!.hash]]);
    expect(await verifyChain(events, { anchors })).toMatchObject({ ok: true });
    expect(await verifyChain(events.slice(0, 6), { anchors })).toMatchObject({
      checked: 6,
      firstBroken: { seq: 7, reason: 'truncated' },
    });
    expect(await verifyChain(events, { anchors: new Map([[8, 'f'.repeat(64)]]) })).toMatchObject({
      firstBroken: { seq: 8, reason: 'rewritten' },
    });
  });

  it('continues from a verified head and reports progress', async () => {
    const events = chain(10);
    const seen: number[] = [];
    const result = await verifyChain(events.slice(5), {
      after: { seq: 5, hash: events[4]!.hash },
      progressEvery: 2,
      onProgress: (n) => seen.push(n),
    });
    expect(result).toMatchObject({ ok: true, checked: 5, head: { seq: 10 } });
    expect(seen).toEqual([2, 4]);
  });
});

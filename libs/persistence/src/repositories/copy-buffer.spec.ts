import { CopyBuffer, inCopyBuffers } from './copy-buffer.js';

describe('CopyBuffer', () => {
  it('writes ASCII, accented letters, CJK and emoji as the same UTF-8 bytes as Buffer.from', () => {
    const values = [
      'e1f0c2a4-5b6d-4e7f-8a9b-0c1d2e3f4a5b\t',
      'northmoor-csc',
      'Zoë Ó Briain',
      'Ålesund\tstraße',
      '王小明',
      'family 👪 emoji 🙂 at the end',
      '🙂 first',
      '',
      'plain again\n',
    ];
    const out = new CopyBuffer();
    for (const v of values) out.text(v);
    expect(out.take().equals(Buffer.from(values.join(''), 'utf8'))).toBe(true);
  });

  it('grows for a string larger than its buffer and mixes bytes and text in order', () => {
    const big = 'é'.repeat(1 << 20); // two bytes each: larger than the buffer
    const out = new CopyBuffer();
    out.text('a');
    out.bytes(Uint8Array.of(9, 10));
    out.text(big);
    out.text('z');
    expect(
      out.take().equals(Buffer.concat([Buffer.from('a'), Buffer.of(9, 10), Buffer.from(big), Buffer.from('z')])),
    ).toBe(true);
  });

  it('gives buffers of whole rows once half full, and the rest last', () => {
    const rows = Array.from({ length: 30_000 }, (_, i) => `row ${i} ∑ ${'x'.repeat(i % 50)}\n`);
    const buffers = [...inCopyBuffers(rows, (out, r) => out.text(r))];
    expect(buffers.length).toBeGreaterThan(1);
    for (const b of buffers) expect(b[b.length - 1]).toBe(10);
    expect(Buffer.concat(buffers).toString('utf8')).toBe(rows.join(''));
  });
});

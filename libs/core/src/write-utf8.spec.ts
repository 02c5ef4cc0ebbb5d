import { writeUtf8 } from './write-utf8.js';

describe('writeUtf8', () => {
  it('writes the same bytes as Buffer.from, for ASCII, accents, CJK and emoji anywhere in the string', () => {
    const values = ['', 'e1f0c2a4-5b6d\t{"a":1}\n', 'Zoë Ó Briain', '王小明', '🙂 first', 'last 🙂', 'a👪b\u00e9c'];
    const out = Buffer.alloc(200, 0xff);
    let at = 3;
    for (const v of values) at = writeUtf8(out, at, v);
    const expected = Buffer.from(values.join(''), 'utf8');
    expect(at).toBe(3 + expected.length);
    expect(out.subarray(3, at).equals(expected)).toBe(true);
    // Nothing written outside its place.
    expect([...out.subarray(0, 3), ...out.subarray(at)].every((b) => b === 0xff)).toBe(true);
  });
});

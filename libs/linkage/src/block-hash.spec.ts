import { blockHash, blockHashInto, blockNumbers, writeHashDecimal } from '@joinedup/linkage';

describe('block hashes', () => {
  it('answers one bigint per key, the same every time, different for different keys', () => {
    const keys = ['', 'a', 'dob:1990|3|4', 'family-exact:okafor', 'family-exact:okafor ', 'given-exact:zoë'];
    const hashes = keys.map(blockHash);
    expect(new Set(hashes).size).toBe(keys.length);
    expect(keys.map(blockHash)).toEqual(hashes);
    for (const h of hashes) expect(h >= -(2n ** 63n) && h < 2n ** 63n).toBe(true);
  });

  it('writes the same hash into a shared array as one at a time (low word first)', () => {
    const out = new Uint32Array(6);
    ['postcode:LS1 4AP', 'given-exact:Łukasz', 'x'.repeat(40)].forEach((k, i) => blockHashInto(k, out, 2 * i));
    const viewed = new BigInt64Array(out.buffer);
    expect([...viewed]).toEqual(['postcode:LS1 4AP', 'given-exact:Łukasz', 'x'.repeat(40)].map(blockHash));
  });

  it("numbers blocks so that equal hashes share a number and numbers follow the hashes' order", () => {
    const keys = ['b', 'a', 'c', 'a', 'b', 'a', 'given-exact:Zoë'];
    const words = new Int32Array(2 * keys.length);
    keys.forEach((k, i) => blockHashInto(k, words, 2 * i));
    const { of, blocks } = blockNumbers(words, keys.length);
    expect(blocks).toBe(4);
    const numberOf = new Map(keys.map((k, i) => [k, of[i]]));
    keys.forEach((k, i) => expect(of[i]).toBe(numberOf.get(k)));
    const byHash = [...new Set(keys)].sort((x, y) => (blockHash(x) < blockHash(y) ? -1 : 1));
    expect(byHash.map((k) => numberOf.get(k))).toEqual([0, 1, 2, 3]);
    expect(blockNumbers(words, 0).blocks).toBe(0);
  });

  it('writes a hash as the decimal text PostgreSQL prints for the bigint, for every size and sign', () => {
    const values = [
      0n,
      1n,
      -1n,
      2n ** 53n - 1n,
      2n ** 53n,
      -(2n ** 53n) - 1n,
      2n ** 63n - 1n,
      -(2n ** 63n),
      10n ** 14n,
    ];
    values.push(2n ** 32n * 0x1fffffn + 0xffffffffn, 2n ** 32n * 0x200000n, -(10n ** 18n), 9_999_999n * 10n ** 7n);
    // And many at random: 64 random bits each, from a fixed seed.
    let seed = 12345;
    const word = () => (seed = (Math.imul(seed, 1103515245) + 12345) | 0) >>> 0;
    for (let i = 0; i < 5000; i += 1) values.push(BigInt.asIntN(64, (BigInt(word()) << 32n) | BigInt(word())));
    const words = new BigInt64Array(1);
    const halves = new Int32Array(words.buffer);
    const out = new Uint8Array(30);
    for (const value of values) {
      words[0] = value;
      out.fill(35); // '#': what comes before and after must stay
      const end = writeHashDecimal(out, 2, halves[0]!, halves[1]!);
      expect(Buffer.from(out).toString('latin1')).toBe(`##${value}${'#'.repeat(30 - end)}`);
    }
  });
});

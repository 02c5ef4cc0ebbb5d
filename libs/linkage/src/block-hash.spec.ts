import { blockHash, blockHashInto, blockNumbers } from '@joinedup/linkage';

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
});

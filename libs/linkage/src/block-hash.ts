/**
 * A blocking key's 64-bit hash, bit for bit what PostgreSQL's `hashtextextended(key, 0)` answers: Bob
 * Jenkins' lookup3 over the key's UTF-8 bytes, read little-endian, with no seed, the result being
 * `(b << 32) | c`. The service stores keys hashed (the blocking index holds bigints); a batch that hashes
 * them itself can count blocks and write index rows without PostgreSQL hashing twelve million keys again.
 */
const encoder = new TextEncoder();
/** The key being hashed, as UTF-8 (see keyStart): one at a time, in this module's buffer. */
let bytes = new Uint8Array(256);
let length = 0;

const rot = (x: number, k: number) => (x << k) | (x >>> (32 - k));

/**
 * Starts a key to hash from its parts (`keyPart`, then `keyHashInto`), so a caller that builds keys from
 * several values hashes them without joining them into a string first (a million records, a dozen keys each).
 */
export function keyStart(): void {
  length = 0;
}

/** Appends `text` to the key being hashed. */
export function keyPart(text: string): void {
  const n = text.length;
  if (bytes.length < length + 3 * n) {
    const grown = new Uint8Array(2 * (length + 3 * n));
    grown.set(bytes.subarray(0, length));
    bytes = grown;
  }
  for (let i = 0; i < n; i += 1) {
    const c = text.charCodeAt(i);
    if (c > 127) {
      // The rest as UTF-8: three bytes a UTF-16 unit at most, room made above.
      length += encoder.encodeInto(text.slice(i), bytes.subarray(length)).written;
      return;
    }
    bytes[length++] = c;
  }
}

/** Writes the hash of `key` as two 32-bit words, low then high, at `out[at]` and `out[at + 1]`. */
export function blockHashInto(key: string, out: Uint32Array | Int32Array, at: number): void {
  keyStart();
  keyPart(key);
  keyHashInto(out, at);
}

/** Writes the hash of the key built since `keyStart`, as `blockHashInto` does. */
export function keyHashInto(out: Uint32Array | Int32Array, at: number): void {
  const u = bytes;
  let a = (0x9e3779b9 + length + 3923095) | 0;
  let b = a;
  let c = a;
  let k = 0;
  let left = length;
  while (left >= 12) {
    a = (a + (u[k]! | (u[k + 1]! << 8) | (u[k + 2]! << 16) | (u[k + 3]! << 24))) | 0;
    b = (b + (u[k + 4]! | (u[k + 5]! << 8) | (u[k + 6]! << 16) | (u[k + 7]! << 24))) | 0;
    c = (c + (u[k + 8]! | (u[k + 9]! << 8) | (u[k + 10]! << 16) | (u[k + 11]! << 24))) | 0;
    a = (a - c) | 0;
    a ^= rot(c, 4);
    c = (c + b) | 0;
    b = (b - a) | 0;
    b ^= rot(a, 6);
    a = (a + c) | 0;
    c = (c - b) | 0;
    c ^= rot(b, 8);
    b = (b + a) | 0;
    a = (a - c) | 0;
    a ^= rot(c, 16);
    c = (c + b) | 0;
    b = (b - a) | 0;
    b ^= rot(a, 19);
    a = (a + c) | 0;
    c = (c - b) | 0;
    c ^= rot(b, 4);
    b = (b + a) | 0;
    k += 12;
    left -= 12;
  }
  // The last 0 to 11 bytes: four into a, four into b, three into c above its lowest byte.
  for (let i = 0; i < left; i += 1) {
    const byte = u[k + i]!;
    if (i < 4) a = (a + (byte << (8 * i))) | 0;
    else if (i < 8) b = (b + (byte << (8 * (i - 4)))) | 0;
    else c = (c + (byte << (8 * (i - 7)))) | 0;
  }
  c ^= b;
  c = (c - rot(b, 14)) | 0;
  a ^= c;
  a = (a - rot(c, 11)) | 0;
  b ^= a;
  b = (b - rot(a, 25)) | 0;
  c ^= b;
  c = (c - rot(b, 16)) | 0;
  a ^= c;
  a = (a - rot(c, 4)) | 0;
  b ^= a;
  b = (b - rot(a, 14)) | 0;
  c ^= b;
  c = (c - rot(b, 24)) | 0;
  out[at] = c;
  out[at + 1] = b;
}

const one = new Uint32Array(2);
const oneAsBigInt = new BigInt64Array(one.buffer);

/** The hash of one key as PostgreSQL's bigint. */
export function blockHash(key: string): bigint {
  blockHashInto(key, one, 0);
  return oneAsBigInt[0]!;
}

/** Hashes as `blockHashInto` writes them (`count` pairs of words), sorted as PostgreSQL orders bigints. */
function sortedWords(words: Uint32Array | Int32Array, count: number): Int32Array {
  // Sorted as a BigInt64Array (natively, no comparator), then read as 32-bit words: reading a
  // BigInt64Array element makes a BigInt.
  const sorted = new BigInt64Array(words.buffer, words.byteOffset, count).slice().sort();
  return new Int32Array(sorted.buffer);
}

/** Whether sorted hash `i` equals the one before it. */
const repeats = (w: Int32Array, i: number) => i > 0 && w[2 * i] === w[2 * i - 2] && w[2 * i + 1] === w[2 * i - 1];

/**
 * A block number for each of `count` hashes (pairs of words as `blockHashInto` writes them): equal hashes
 * get equal numbers, from 0 to `blocks - 1`, in the hashes' order.
 */
export function blockNumbers(words: Int32Array, count: number): { of: Int32Array; blocks: number } {
  const distinct = sortedWords(words, count);
  let blocks = 0;
  for (let i = 0; i < count; i += 1)
    if (!repeats(distinct, i)) {
      distinct[2 * blocks] = distinct[2 * i]!;
      distinct[2 * blocks + 1] = distinct[2 * i + 1]!;
      blocks += 1;
    }
  const of = new Int32Array(count);
  for (let k = 0; k < count; k += 1) {
    // Binary search by (high word signed, low word unsigned): the order of the sort above.
    const hi = words[2 * k + 1]!;
    const lo = words[2 * k]! >>> 0;
    let from = 0;
    let to = blocks - 1;
    while (from < to) {
      const mid = (from + to) >> 1;
      const midHi = distinct[2 * mid + 1]!;
      if (midHi < hi || (midHi === hi && distinct[2 * mid]! >>> 0 < lo)) from = mid + 1;
      else to = mid;
    }
    of[k] = from;
  }
  return { of, blocks };
}

/** "00" to "99" as ASCII: decimal text two digits at a time. */
const PAIRS = Uint8Array.from({ length: 200 }, (_, i) => 48 + (i % 2 === 0 ? Math.floor(i / 20) : (i >> 1) % 10));

/** Writes `value` (below 10^7) as seven digits, zeros in front, at `out[at]`; answers where it ended. */
function sevenDigits(out: Uint8Array, at: number, value: number): number {
  let v = value | 0;
  for (let end = at + 7; end > at + 1; end -= 2) {
    const q = (v / 100) | 0;
    const r = 2 * (v - 100 * q);
    out[end - 2] = PAIRS[r]!;
    out[end - 1] = PAIRS[r + 1]!;
    v = q;
  }
  out[at] = 48 + v;
  return at + 7;
}

/** Writes `value` (below 10^7) in decimal without zeros in front at `out[at]`; answers where it ended. */
function leadingDigits(out: Uint8Array, at: number, value: number): number {
  let v = value | 0;
  const width = v < 10 ? 1 : v < 100 ? 2 : v < 1000 ? 3 : v < 10000 ? 4 : v < 100000 ? 5 : v < 1000000 ? 6 : 7;
  let end = at + width;
  for (; end - at >= 2; end -= 2) {
    const q = (v / 100) | 0;
    const r = 2 * (v - 100 * q);
    out[end - 2] = PAIRS[r]!;
    out[end - 1] = PAIRS[r + 1]!;
    v = q;
  }
  if (end > at) out[at] = 48 + v;
  return at + width;
}

/**
 * Writes a hash (two 32-bit words, low then high, as blockHashInto writes them) as the decimal text of
 * PostgreSQL's bigint, in ASCII, at `out[at]` (room for 20 bytes); answers where it ended. Without making a BigInt: the
 * batch writes twelve million of them, and BigInt's own decimal text was most of the cost of its index
 * rows. The 64 bits go into three numbers exact in a double (24, 24 and 16 bits), carried in base 10^7.
 */
export function writeHashDecimal(out: Uint8Array, at: number, low: number, high: number): number {
  let lo = low >>> 0;
  let hi = high >>> 0;
  if (high < 0) {
    out[at++] = 45; // '-', then the magnitude: the two's complement of the 64 bits
    lo = (~lo + 1) >>> 0;
    hi = (~hi + (lo === 0 ? 1 : 0)) >>> 0;
  }
  let units: number;
  let tens7: number;
  let tens14: number;
  if (hi < 0x200000) {
    // Below 2^53: exact as one double.
    const value = hi * 0x100000000 + lo;
    tens14 = Math.floor(value / 1e14);
    const rest = value - tens14 * 1e14;
    tens7 = Math.floor(rest / 1e7);
    units = rest - tens7 * 1e7;
  } else {
    const bits0 = lo & 0xffffff;
    const bits24 = ((lo >>> 24) | (hi << 8)) & 0xffffff;
    const bits48 = hi >>> 16;
    // 2^24 = 1·10^7 + 6777216 and 2^48 = 28147497·10^7 + 6710656 = (2·10^7 + 8147497)·10^7 + 6710656.
    units = bits0 + bits24 * 6777216 + bits48 * 6710656;
    tens7 = bits24 + bits48 * 8147497;
    tens14 = bits48 * 2;
    tens7 += Math.floor(units / 1e7);
    units %= 1e7;
    tens14 += Math.floor(tens7 / 1e7);
    tens7 %= 1e7;
  }
  if (tens14 > 0) return sevenDigits(out, sevenDigits(out, leadingDigits(out, at, tens14), tens7), units);
  if (tens7 > 0) return sevenDigits(out, leadingDigits(out, at, tens7), units);
  return leadingDigits(out, at, units);
}

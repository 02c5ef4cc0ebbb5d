/**
 * Writes `value` as UTF-8 into `out` at `at` and answers where it ends; `out` must have room (three
 * bytes a UTF-16 unit). ASCII goes a byte at a time in JavaScript: a batch writes millions of short
 * strings (ids, agencies, features JSON) into COPY buffers, and Buffer#write's call into C++ for each
 * cost more than the copying. From the first other character on, Buffer#write does the rest.
 */
export function writeUtf8(out: Buffer, at: number, value: string): number {
  let end = at;
  for (let i = 0; i < value.length; i += 1) {
    const c = value.charCodeAt(i);
    if (c >= 0x80) return end + out.write(value.slice(i), end); // a surrogate pair is never split
    out[end++] = c;
  }
  return end;
}

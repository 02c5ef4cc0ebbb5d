/**
 * Every record's blocking keys hashed (see keyHashesOf in blocking.ts), one slot a rule, worked out once
 * where the record is prepared: the batch groups records into blocks by them and writes them into the
 * index rows, and hashing twelve million keys for each was seconds on both threads at a million records.
 */
export interface KeyHashes {
  /** How many rules: record i's slot for rule r is i * rules + r. */
  rules: number;
  /** A slot's hash as two 32-bit words, low then high, at 2 * slot. */
  words: Int32Array;
  /** 1 where the record has a key for the rule (its slot's words are then its hash), else 0. */
  present: Uint8Array;
}

/** Key hashes of consecutive runs of records (pages), as one. */
export function joinKeyHashes(parts: readonly KeyHashes[], rules: number): KeyHashes {
  if (parts.some((p) => p.rules !== rules)) throw new Error('key hashes of different rules cannot be joined');
  const slots = parts.reduce((n, p) => n + p.present.length, 0);
  const joined: KeyHashes = { rules, words: new Int32Array(2 * slots), present: new Uint8Array(slots) };
  let at = 0;
  for (const part of parts) {
    joined.words.set(part.words, 2 * at);
    joined.present.set(part.present, at);
    at += part.present.length;
  }
  return joined;
}

/** The number of records `hashes` covers. */
export const keyHashCount = (hashes: KeyHashes): number =>
  hashes.rules === 0 ? 0 : hashes.present.length / hashes.rules;

import type { Redis } from 'ioredis';

/** Where a canary value was found: the Redis key (and its type) or the source's name. */
export interface CanaryHit {
  where: string;
  value: string;
}

/** A valid NHS number (modulus 11 check digit) from nine random digits. */
export function nhsNumberWithCheckDigit(random: () => number = Math.random): string {
  for (;;) {
    const digits = Array.from({ length: 9 }, (_, i) =>
      i === 0 ? 1 + Math.floor(random() * 9) : Math.floor(random() * 10),
    );
    const sum = digits.reduce((s, d, i) => s + d * (10 - i), 0);
    const check = 11 - (sum % 11);
    if (check === 10) continue;
    return `${digits.join('')}${check === 11 ? 0 : check}`;
  }
}

/** Canary values found in a text, case-insensitively. */
export function findCanaries(where: string, text: string, values: readonly string[]): CanaryHit[] {
  const haystack = text.toLowerCase();
  return values.filter((v) => haystack.includes(v.toLowerCase())).map((value) => ({ where, value }));
}

/** The whole content of one key, read the way its type needs, as text. */
async function readKey(redis: Redis, key: string): Promise<{ type: string; text: string }> {
  const type = await redis.type(key);
  switch (type) {
    case 'string':
      return { type, text: (await redis.get(key)) ?? '' };
    case 'hash':
      return { type, text: JSON.stringify(await redis.hgetall(key)) };
    case 'list':
      return { type, text: JSON.stringify(await redis.lrange(key, 0, -1)) };
    case 'set':
      return { type, text: JSON.stringify(await redis.smembers(key)) };
    case 'zset':
      return { type, text: JSON.stringify(await redis.zrange(key, '0', '-1', 'WITHSCORES')) };
    case 'stream':
      // BullMQ's event streams: every entry with every field.
      return { type, text: JSON.stringify(await redis.xrange(key, '-', '+')) };
    case 'none':
      return { type, text: '' }; // gone between SCAN and TYPE
    default:
      // A module type (ReJSON, ...): DUMP is the serialised value, which still holds the strings.
      return { type, text: ((await redis.dumpBuffer(key)) ?? Buffer.alloc(0)).toString('latin1') };
  }
}

/**
 * Every key of the Redis database (SCAN, not KEYS), each read by its type: key names, strings, hashes
 * (BullMQ job hashes: data, opts, returnvalue, failedReason, stacktrace), lists, sets, sorted sets and
 * streams (BullMQ events). Answers the hits and how many keys were read.
 */
export async function scanRedis(redis: Redis, values: readonly string[]): Promise<{ keys: number; hits: CanaryHit[] }> {
  const hits: CanaryHit[] = [];
  let keys = 0;
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'COUNT', 500);
    cursor = next;
    for (const key of batch) {
      keys += 1;
      const { type, text } = await readKey(redis, key);
      hits.push(...findCanaries(`redis ${type} ${key}`, `${key}\n${text}`, values));
    }
  } while (cursor !== '0');
  return { keys, hits };
}

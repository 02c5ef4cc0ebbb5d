import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { BROKER_CONFIG, type BrokerConfig } from '@joinedup/config';
import { REDIS } from '@joinedup/messaging';

/** Adds hits and starts the window on the first: one command. Answers the window's hits and its ms left. */
const HIT_SCRIPT = `
local hits = redis.call('INCRBY', KEYS[1], ARGV[2])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {hits, ttl}`;

/** How often a replica sends a busy caller's hits to Redis. */
const SYNC_MS = 100;

type WithHit = Redis & { joinedupRateHit(key: string, windowMs: number, hits: number): Promise<[number, number]> };

/** One caller's window as this replica sees it. */
interface Window {
  /** When the window ends (from Redis's TTL once synced). */
  resetAt: number;
  /** The window's hits across every replica, as Redis last answered. */
  known: number;
  /** Hits counted here and on their way to Redis. */
  sending: number;
  /** Hits counted here and not yet sent. */
  pending: number;
  timer?: NodeJS.Timeout;
}

/**
 * Fixed-window counters in Redis, so every api replica counts the same caller together. A caller's first
 * hit in a window asks Redis at once; later hits are counted here and sent together at most every
 * SYNC_MS (one command per busy caller, not per request: that command was a tenth of the api's CPU under
 * load). Within a replica the count is exact; hits on other replicas are seen within SYNC_MS.
 */
@Injectable()
export class RedisRateCounter implements OnModuleDestroy {
  private readonly redis: WithHit;
  private readonly windows = new Map<string, Window>();

  constructor(
    @Inject(REDIS) redis: Redis,
    @Inject(BROKER_CONFIG) private readonly config: BrokerConfig,
  ) {
    // defineCommand sends EVALSHA and loads the script once when Redis does not know it.
    if (!('joinedupRateHit' in redis)) redis.defineCommand('joinedupRateHit', { numberOfKeys: 1, lua: HIT_SCRIPT });
    this.redis = redis as WithHit;
  }

  /** Counts one hit; answers the hits in the current window and the seconds until it ends. */
  async hit(tracker: string, windowMs: number): Promise<{ hits: number; secondsLeft: number }> {
    const key = `${this.config.redisPrefix}:rate:${tracker}`;
    let window = this.windows.get(key);
    const fresh = !window || Date.now() >= window.resetAt;
    if (fresh) {
      if (this.windows.size >= 1_000) this.sweep();
      if (window?.timer) clearTimeout(window.timer);
      window = { resetAt: Date.now() + windowMs, known: 0, sending: 0, pending: 0 };
      this.windows.set(key, window);
    }
    const w = window!;
    w.pending += 1;
    if (fresh) await this.send(key, w, windowMs);
    else w.timer ??= setTimeout(() => void this.send(key, w, windowMs).catch(() => undefined), SYNC_MS).unref();
    return {
      hits: w.known + w.sending + w.pending,
      secondsLeft: Math.max(1, Math.ceil((w.resetAt - Date.now()) / 1000)),
    };
  }

  onModuleDestroy(): void {
    for (const w of this.windows.values()) if (w.timer) clearTimeout(w.timer);
    this.windows.clear();
  }

  private async send(key: string, w: Window, windowMs: number): Promise<void> {
    w.timer = undefined;
    const hits = w.pending;
    if (hits === 0) return;
    w.pending = 0;
    w.sending += hits;
    try {
      const [total, pttl] = await this.redis.joinedupRateHit(key, windowMs, hits);
      // Redis applies sends in order: this total leaves out only the hits of sends still on their way.
      w.known = total;
      w.resetAt = Date.now() + pttl;
    } finally {
      w.sending -= hits;
    }
  }

  /** Forgets windows that ended with nothing left to send (callers that went quiet). */
  private sweep(): void {
    const now = Date.now();
    for (const [key, w] of this.windows) if (now >= w.resetAt && w.pending === 0 && !w.timer) this.windows.delete(key);
  }
}

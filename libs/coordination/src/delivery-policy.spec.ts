import { Rng } from '@joinedup/core';
import {
  classifyResponse,
  MAX_ATTEMPTS,
  parseRetryAfter,
  retryDelayMs,
  retrySchedule,
  retryWindowMs,
} from './delivery-policy.js';

const now = new Date('2026-03-02T10:00:00Z');
const DAY = 24 * 3600 * 1000;

describe('response classification', () => {
  it.each([
    [200, undefined, { kind: 'delivered', status: 200 }],
    [204, undefined, { kind: 'delivered', status: 204 }],
    [408, undefined, { kind: 'retry', reason: 'the receiver answered 408 Request Timeout' }],
    [410, undefined, { kind: 'disable', reason: 'the receiver answered 410 Gone: the endpoint is disabled' }],
    [429, '120', { kind: 'retry', reason: 'the receiver answered 429 and asked to wait 120 s', retryAfterMs: 120_000 }],
    [
      429,
      'Mon, 02 Mar 2026 10:05:00 GMT',
      { kind: 'retry', reason: 'the receiver answered 429 and asked to wait 300 s', retryAfterMs: 300_000 },
    ],
    [429, undefined, { kind: 'retry', reason: 'the receiver answered 429' }],
    [503, '30', { kind: 'retry', reason: 'the receiver answered 503 and asked to wait 30 s', retryAfterMs: 30_000 }],
    [500, undefined, { kind: 'retry', reason: 'the receiver answered 500' }],
    [500, '30', { kind: 'retry', reason: 'the receiver answered 500' }],
    [400, undefined, { kind: 'fail', reason: 'the receiver refused the notification with 400' }],
    [401, undefined, { kind: 'fail', reason: 'the receiver refused the notification with 401' }],
    [302, undefined, { kind: 'fail', reason: 'the receiver answered 302; redirects are not followed' }],
    [undefined, undefined, { kind: 'retry', reason: 'no response from the receiver' }],
  ])('%s with Retry-After %s', (status, retryAfter, outcome) => {
    expect(classifyResponse(status, retryAfter, now)).toEqual(outcome);
  });

  it('reads Retry-After as seconds or an HTTP-date, never negative, held to a ceiling', () => {
    expect(parseRetryAfter('Mon, 02 Mar 2026 09:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('9999999', now)).toBe(6 * 3600 * 1000);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
  });
});

describe('retry schedule', () => {
  it('keeps trying for at least 24 hours, even when every jitter draws zero', () => {
    const zero = { float: () => 0 };
    const last = retrySchedule(MAX_ATTEMPTS - 1, zero)!;
    expect(last.atMs).toBeGreaterThanOrEqual(DAY);
    let total = 0;
    for (let n = 1; n < MAX_ATTEMPTS; n += 1) total += retryWindowMs(n);
    expect(total).toBeGreaterThanOrEqual(DAY);
  });

  it('stops after the last attempt so the notification can go to the dead-letter list', () => {
    expect(retrySchedule(MAX_ATTEMPTS, new Rng(1))).toBeUndefined();
  });

  it('grows exponentially up to its cap and spreads each retry across its whole window', () => {
    expect([1, 2, 3, 4].map(retryWindowMs)).toEqual([10_000, 20_000, 40_000, 80_000]);
    expect(retryWindowMs(30)).toBe(4 * 3600 * 1000);
    const rng = new Rng(7);
    const draws = Array.from({ length: 500 }, () => retrySchedule(5, rng)!);
    for (const step of draws) {
      expect(step.atMs).toBeGreaterThanOrEqual(step.windowStartMs);
      expect(step.atMs).toBeLessThan(step.windowEndMs);
    }
    const early = draws.filter((s) => s.atMs < s.windowStartMs + retryWindowMs(5) / 2).length;
    expect(early).toBeGreaterThan(200);
    expect(early).toBeLessThan(300);
  });

  it('retries come in order: each window starts where the one before ended', () => {
    const rng = new Rng(3);
    for (let n = 2; n < MAX_ATTEMPTS; n += 1) {
      expect(retrySchedule(n, rng)!.windowStartMs).toBe(retrySchedule(n - 1, rng)!.windowEndMs);
    }
  });

  it('turns the anchored time into a delay from now', () => {
    const step = retrySchedule(3, { float: () => 0.5 })!;
    expect(step.atMs).toBe(30_000 + 20_000);
    expect(retryDelayMs(step, 45_000)).toBe(5_000);
    expect(retryDelayMs(step, 60_000)).toBe(0);
  });
});

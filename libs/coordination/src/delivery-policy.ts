/**
 * Webhook delivery policy: when to try again and what a response means. Pure: the worker passes
 * the attempt number, a random source and the time; BullMQ does the waiting.
 */

/** Anything with a uniform float in [0, 1); `Rng` from @joinedup/core fits, so does `{ float: Math.random }`. */
export interface RandomSource {
  float(): number;
}

const SECOND = 1000;
const HOUR = 3600 * SECOND;

export const RETRY_BASE_MS = 10 * SECOND;
export const RETRY_CAP_MS = 4 * HOUR;
/** Deliveries in all, the first included. Chosen so the last one starts 24 hours or more after the first failure. */
export const MAX_ATTEMPTS = 18;
/** A Retry-After longer than this is held to it, so one receiver cannot park a delivery for a week. */
export const MAX_RETRY_AFTER_MS = 6 * HOUR;

/** The width of the window retry `n` (1-based) falls in: base * 2^(n-1), capped. */
export function retryWindowMs(retry: number): number {
  return Math.min(RETRY_CAP_MS, RETRY_BASE_MS * 2 ** (retry - 1));
}

export interface RetryStep {
  /** The retry this is (1 = the second delivery). */
  retry: number;
  /** Milliseconds after the first failed delivery at which to try again. */
  atMs: number;
  windowStartMs: number;
  windowEndMs: number;
}

/**
 * Exponential backoff with full jitter, anchored to the first failure: retry `n` lands uniformly
 * anywhere in its own window [sum of earlier windows, + its window). Plain full jitter
 * (random * ceiling from the previous attempt) can add up to almost nothing, so it could never
 * promise to keep trying for 24 hours; anchoring keeps the spread and makes the promise provable.
 * `attempt` is the number of deliveries made so far (1 after the first failure).
 * Returns undefined when no attempts are left: the notification goes to the dead-letter list.
 */
export function retrySchedule(attempt: number, rng: RandomSource): RetryStep | undefined {
  if (!Number.isInteger(attempt) || attempt < 1) throw new RangeError('attempt counts deliveries made, from 1');
  if (attempt >= MAX_ATTEMPTS) return undefined;
  let windowStartMs = 0;
  for (let n = 1; n < attempt; n += 1) windowStartMs += retryWindowMs(n);
  const width = retryWindowMs(attempt);
  return {
    retry: attempt,
    atMs: windowStartMs + Math.floor(rng.float() * width),
    windowStartMs,
    windowEndMs: windowStartMs + width,
  };
}

/** The delay to hand to the queue, given how long ago the first delivery failed. */
export function retryDelayMs(step: RetryStep, sinceFirstFailureMs: number): number {
  return Math.max(0, step.atMs - sinceFirstFailureMs);
}

export type DeliveryOutcome =
  | { kind: 'delivered'; status: number }
  | { kind: 'retry'; reason: string; /** Set when the receiver said how long to wait. */ retryAfterMs?: number }
  | { kind: 'fail'; reason: string }
  | { kind: 'disable'; reason: string };

/** Retry-After is either delay-seconds or an HTTP-date (RFC 9110 §10.2.3). */
export function parseRetryAfter(header: string | undefined, now: Date): number | undefined {
  if (header === undefined) return undefined;
  const text = header.trim();
  if (/^\d+$/.test(text)) return Math.min(MAX_RETRY_AFTER_MS, Number(text) * SECOND);
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.min(MAX_RETRY_AFTER_MS, Math.max(0, at - now.getTime()));
}

/** `status` is undefined when no response came back (refused, reset, timed out). */
export function classifyResponse(
  status: number | undefined,
  retryAfterHeader: string | undefined,
  now: Date,
): DeliveryOutcome {
  if (status === undefined) return { kind: 'retry', reason: 'no response from the receiver' };
  if (status >= 200 && status < 300) return { kind: 'delivered', status };
  if (status === 410) return { kind: 'disable', reason: 'the receiver answered 410 Gone: the endpoint is disabled' };
  if (status === 429 || status === 503) {
    const retryAfterMs = parseRetryAfter(retryAfterHeader, now);
    const reason = `the receiver answered ${status}${retryAfterMs === undefined ? '' : ` and asked to wait ${Math.round(retryAfterMs / SECOND)} s`}`;
    return retryAfterMs === undefined ? { kind: 'retry', reason } : { kind: 'retry', reason, retryAfterMs };
  }
  if (status === 408) return { kind: 'retry', reason: 'the receiver answered 408 Request Timeout' };
  // Redirects are not followed: the target would escape the URL safety check.
  if (status >= 300 && status < 400)
    return { kind: 'fail', reason: `the receiver answered ${status}; redirects are not followed` };
  if (status >= 400 && status < 500)
    return { kind: 'fail', reason: `the receiver refused the notification with ${status}` };
  return { kind: 'retry', reason: `the receiver answered ${status}` };
}

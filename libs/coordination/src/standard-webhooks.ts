import { createHmac, timingSafeEqual } from 'node:crypto';
import { BrokerError } from '@joinedup/core';

/**
 * Standard Webhooks (https://www.standardwebhooks.com/) signing and verification.
 * The signed content is `${id}.${timestamp}.${body}`; the key is the base64 part of a `whsec_` secret.
 * The webhook id must stay the same across retries so receivers can drop duplicates.
 */

export interface WebhookToSign {
  id: string;
  /** Unix time in seconds. */
  timestamp: number;
  /** The exact bytes that will be sent, as a string; re-serialising would break the signature. */
  body: string;
  /** `whsec_<base64>`. */
  secret: string;
}

export interface WebhookHeaders {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
}

const SECRET_PREFIX = 'whsec_';
/** The specification suggests five minutes either way to stop replays. */
export const DEFAULT_WEBHOOK_TOLERANCE_SECONDS = 5 * 60;

export function webhookSecretKey(secret: string): Buffer {
  const encoded = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret;
  // Buffer.from ignores bad characters silently; a round trip catches a secret that is not base64.
  const key = Buffer.from(encoded, 'base64');
  if (key.length === 0 || key.toString('base64').replace(/=+$/, '') !== encoded.replace(/=+$/, '')) {
    throw new BrokerError('CONFIG_INVALID', 'A webhook secret must be whsec_ followed by base64');
  }
  return key;
}

function signatureOf(id: string, timestamp: string, body: string, key: Buffer): string {
  return createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64');
}

export function signWebhook(input: WebhookToSign): WebhookHeaders {
  if (!Number.isInteger(input.timestamp) || input.timestamp < 0) {
    throw new BrokerError('VALIDATION_FAILED', 'A webhook timestamp is whole seconds since 1970');
  }
  if (input.id.length === 0 || input.id.includes('.')) {
    // A dot in the id would make `id.timestamp.body` ambiguous.
    throw new BrokerError('VALIDATION_FAILED', 'A webhook id must be non-empty and contain no dot');
  }
  const timestamp = String(input.timestamp);
  return {
    'webhook-id': input.id,
    'webhook-timestamp': timestamp,
    'webhook-signature': `v1,${signatureOf(input.id, timestamp, input.body, webhookSecretKey(input.secret))}`,
  };
}

export interface WebhookToVerify {
  /** Header names are matched without regard to case. */
  headers: Record<string, string | string[] | undefined>;
  body: string;
  secret: string;
  /** Unix seconds, passed in: engines read no clock. */
  nowSeconds: number;
  toleranceSeconds?: number;
}

export type WebhookVerification = { ok: true; id: string; timestamp: number } | { ok: false; reason: string };

function header(headers: WebhookToVerify['headers'], name: string): string | undefined {
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === name) return Array.isArray(value) ? value.join(' ') : value;
  }
  return undefined;
}

export function verifyWebhook(input: WebhookToVerify): WebhookVerification {
  const id = header(input.headers, 'webhook-id');
  const timestampText = header(input.headers, 'webhook-timestamp');
  const signatures = header(input.headers, 'webhook-signature');
  if (!id || !timestampText || !signatures) return { ok: false, reason: 'missing webhook headers' };
  if (!/^\d+$/.test(timestampText)) return { ok: false, reason: 'timestamp is not whole seconds' };
  const timestamp = Number(timestampText);
  const tolerance = input.toleranceSeconds ?? DEFAULT_WEBHOOK_TOLERANCE_SECONDS;
  if (timestamp < input.nowSeconds - tolerance) return { ok: false, reason: 'timestamp too old' };
  if (timestamp > input.nowSeconds + tolerance) return { ok: false, reason: 'timestamp too new' };

  const expected = Buffer.from(signatureOf(id, timestampText, input.body, webhookSecretKey(input.secret)));
  // The header may carry several space-separated signatures (key rotation); any v1 match is enough.
  for (const entry of signatures.split(' ')) {
    const [version, signature] = entry.split(',', 2);
    if (version !== 'v1' || signature === undefined) continue;
    const given = Buffer.from(signature);
    if (given.length === expected.length && timingSafeEqual(given, expected)) return { ok: true, id, timestamp };
  }
  return { ok: false, reason: 'no matching signature' };
}

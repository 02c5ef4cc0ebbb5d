import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';

/** Connections are kept open between deliveries to the same receiver (a TLS handshake per webhook would dominate). */
const AGENTS = {
  'http:': new http.Agent({ keepAlive: true, maxSockets: 64 }),
  'https:': new https.Agent({ keepAlive: true, maxSockets: 64 }),
} as const;

export interface WebhookResponse {
  /** Undefined when the connection was refused, reset or timed out. */
  status?: number;
  retryAfter?: string;
}

/** Connects to the address that was checked, whatever DNS answers now (no rebinding between check and send). */
const pinnedLookup =
  (address: string): LookupFunction =>
  (_hostname, options, callback) => {
    const family = address.includes(':') ? 6 : 4;
    if (options.all)
      (callback as (e: null, a: { address: string; family: number }[]) => void)(null, [{ address, family }]);
    else callback(null, address, family);
  };

/**
 * POSTs one webhook and answers its status and Retry-After; the body is read and dropped, redirects are
 * not followed. node:http with keep-alive rather than fetch: a delivery is one small request, and fetch's
 * web streams cost more CPU than the request itself at thousands per second.
 */
export function postWebhook(
  url: URL,
  address: string,
  headers: Record<string, string>,
  body: string,
  timeoutMs: number,
): Promise<WebhookResponse> {
  return new Promise((resolve) => {
    let settled = false;
    const settle = (answer: WebhookResponse) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(answer);
    };
    const request = (url.protocol === 'https:' ? https : http).request(
      url,
      {
        method: 'POST',
        agent: AGENTS[url.protocol as keyof typeof AGENTS],
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        lookup: pinnedLookup(address),
      },
      (response) => {
        const retryAfter = response.headers['retry-after'];
        response.resume();
        response.on('error', () => undefined);
        settle({ status: response.statusCode, retryAfter: Array.isArray(retryAfter) ? retryAfter[0] : retryAfter });
      },
    );
    const timer = setTimeout(() => {
      request.destroy();
      settle({});
    }, timeoutMs);
    request.on('error', () => settle({}));
    request.end(body);
  });
}

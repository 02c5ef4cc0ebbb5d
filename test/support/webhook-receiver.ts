import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

export interface Received {
  id: string;
  type: string;
  data: Record<string, unknown>;
}

/** How the receiver answers one request: a status and headers (e.g. 500, or 429 with Retry-After). */
export type Answer = (request: { id: string; attempt: number }) => { status: number; headers?: Record<string, string> };

/**
 * A webhook receiver as an agency system would run one: verifies each request with the `standardwebhooks`
 * package, processes a webhook-id once and counts the duplicates it drops.
 */
export class WebhookReceiver {
  private server?: Server;
  private port = 0;
  readonly effects = new Map<string, Received>();
  duplicates = 0;
  requests = 0;
  badSignatures = 0;
  private readonly seen = new Map<string, number>();
  answer: Answer = () => ({ status: 204 });
  secret?: string;

  get url(): string {
    return `http://127.0.0.1:${this.port}/hooks`;
  }

  async start(port = 0): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        this.requests++;
        const body = Buffer.concat(chunks).toString('utf8');
        const id = header(req.headers, 'webhook-id');
        const attempt = this.seen.get(id) ?? 0;
        this.seen.set(id, attempt + 1);
        const { status, headers } = this.answer({ id, attempt });
        if (status >= 200 && status < 300) {
          try {
            const verified = new Webhook(this.secret!).verify(body, {
              'webhook-id': id,
              'webhook-timestamp': header(req.headers, 'webhook-timestamp'),
              'webhook-signature': header(req.headers, 'webhook-signature'),
            }) as { type: string; data: Record<string, unknown> };
            if (this.effects.has(id)) this.duplicates++;
            else this.effects.set(id, { id, type: verified.type, data: verified.data });
          } catch {
            this.badSignatures++;
            res.writeHead(400).end();
            return;
          }
        }
        res.writeHead(status, headers ?? {}).end();
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  async until(count: number, ms = 30_000): Promise<void> {
    const deadline = Date.now() + ms;
    while (this.effects.size < count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  }
}

function header(headers: IncomingHttpHeaders, name: string): string {
  const value = headers[name];
  return Array.isArray(value) ? value.join(' ') : (value ?? '');
}

import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Params } from 'nestjs-pino';
import { destination } from 'pino';
import type { BrokerConfig } from './environment.js';

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * Structured JSON logs with a request id and no personal data: only method, path (no query string,
 * which could carry search terms), status and timing are logged; bodies and credentials never are.
 */
export function loggerParams(config: BrokerConfig, app: 'api' | 'worker'): Params {
  const options = {
    level: config.logLevel,
    base: { app },
    genReqId: (req: IncomingMessage, res: ServerResponse) => {
      const given = req.headers['x-request-id'];
      const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
      res.setHeader('x-request-id', id);
      return id;
    },
    serializers: {
      req: (req: { id: string; method: string; url: string }) => ({
        id: req.id,
        method: req.method,
        path: req.url.split('?')[0],
      }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
    redact: { paths: ['req.headers', 'res.headers', '*.password', '*.client_assertion'], remove: true },
    autoLogging: { ignore: (req: IncomingMessage) => (req.url ?? '').startsWith('/health') },
    customProps: () => ({}),
  } satisfies NonNullable<Params['pinoHttp']>;
  // Synchronous, so a reader of the file (the privacy canary) sees every line already written.
  return {
    pinoHttp: config.logFile ? [options, destination({ dest: config.logFile, sync: true, mkdir: true })] : options,
  };
}

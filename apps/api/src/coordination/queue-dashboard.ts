import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import { AccessTokensService } from '../auth/access-tokens.service.js';
import { DeliveryQueue } from './delivery-queue.service.js';

export const QUEUE_DASHBOARD_PATH = '/admin/queues';
/** The console's session cookie holds the same bearer token; the dashboard accepts either. */
export const SESSION_COOKIE = 'joinedup_session';

/**
 * bull-board at /admin/queues for platform admins only: the token (bearer header or the console's session
 * cookie) is verified like any API call. Job payloads carry ids only, so the dashboard shows no personal data.
 */
export function mountQueueDashboard(app: NestExpressApplication): void {
  const queues = app.get(DeliveryQueue, { strict: false }).queues;
  const tokens = app.get(AccessTokensService, { strict: false });
  const board = new ExpressAdapter();
  board.setBasePath(QUEUE_DASHBOARD_PATH);
  createBullBoard({ queues: Object.values(queues).map((q) => new BullMQAdapter(q)), serverAdapter: board });

  const adminsOnly = (req: Request, res: Response, next: NextFunction) => {
    const bearer = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1];
    const cookie = (req.headers.cookie ?? '')
      .split(';')
      .map((c) => c.trim().split('='))
      .find(([k]) => k === SESSION_COOKIE)?.[1];
    const token = bearer ?? (cookie ? decodeURIComponent(cookie) : undefined);
    if (!token) {
      res.status(401).json({ code: 'UNAUTHENTICATED', message: 'a platform admin token is required' });
      return;
    }
    tokens.verify(token).then(
      (claims) => {
        if (claims.kind === 'platform-admin') next();
        else res.status(403).json({ code: 'FORBIDDEN', message: 'the queue dashboard is for platform admins' });
      },
      () => res.status(401).json({ code: 'UNAUTHENTICATED', message: 'the token is not valid' }),
    );
  };
  app.use(QUEUE_DASHBOARD_PATH, adminsOnly, board.getRouter());
}

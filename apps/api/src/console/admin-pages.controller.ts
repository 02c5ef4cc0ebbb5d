import { Controller, Get, Param, ParseUUIDPipe, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Public } from '../auth/public.decorator.js';
import { ConsolePages } from './console-pages.service.js';

interface DeadLetter {
  id: string;
  agency: string;
  type: string;
  attempts: number;
  lastStatus: number | null;
  reason: string;
  createdAt: string;
}

/** Admins: the dead-letter list of webhook deliveries (replay, purge) and the way to the queue dashboard. */
@ApiExcludeController()
@Public()
@Controller('console/admin')
export class AdminPagesController {
  constructor(private readonly pages: ConsolePages) {}

  @Get('dead-letters')
  async deadLetters(@Req() req: Request, @Res() res: Response): Promise<void> {
    const user = this.pages.require(req, res);
    if (!user) return;
    const answer = await this.pages.api.call<{ items: DeadLetter[] }>(user.token, 'GET', '/v1/admin/dead-letters');
    if (answer.status !== 200) return this.pages.fail(res, user, answer, '/console');
    const items = answer.body.items.map((d) => ({
      ...d,
      rows: [
        { key: { text: 'Why' }, value: { text: d.reason } },
        { key: { text: 'Attempts' }, value: { text: String(d.attempts) } },
        { key: { text: 'Last answer' }, value: { text: d.lastStatus ? String(d.lastStatus) : 'none' } },
        {
          key: { text: 'First tried' },
          value: { text: new Date(d.createdAt).toISOString().slice(0, 16).replace('T', ' ') },
        },
      ],
    }));
    this.pages.render(res, 'dead-letters.njk', user, {
      title: 'Dead letters',
      items,
      flash: req.query.done ? `Delivery ${String(req.query.done)}` : undefined,
    });
  }

  @Post('dead-letters/:id/:verb')
  async act(
    @Param('id', ParseUUIDPipe) id: string,
    @Param('verb') verb: string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const user = this.pages.require(req, res);
    if (!user) return;
    this.pages.checkCsrf(req, user);
    const answer =
      verb === 'replay'
        ? await this.pages.api.call(user.token, 'POST', `/v1/admin/dead-letters/${id}/replay`)
        : verb === 'purge'
          ? await this.pages.api.call(user.token, 'DELETE', `/v1/admin/dead-letters/${id}`)
          : { status: 404, body: { message: 'No such action' } };
    if (answer.status !== 200 && answer.status !== 204)
      return this.pages.fail(res, user, answer, '/console/admin/dead-letters');
    res.redirect(303, `/console/admin/dead-letters?done=${verb === 'replay' ? 'replayed' : 'purged'}`);
  }
}

import { Controller, Get, Param, ParseUUIDPipe, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Public } from '../auth/public.decorator.js';
import { ConsolePages } from './console-pages.service.js';

interface InboxItem {
  id: string;
  type: string;
  caseId: string | null;
  payload: {
    agencies?: string[];
    lead?: { name: string; agency: string } | null;
    offer?: { offerId: string; deadline: string; explanation: string };
    reasons?: string[];
  };
  readAt: string | null;
  createdAt: string;
}

const LABELS: Record<string, string> = {
  'offer.made': 'You are offered the lead of a case',
  'case.opened': 'A coordinated case opened',
  'case.updated': 'A case you work on changed',
  'case.closed': 'A case you worked on closed',
  'lead.assigned': 'A lead worker was assigned',
};
const when = (iso: string) =>
  new Date(iso).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Europe/London' });

/** Caseworkers: the inbox, answering offers, and the case page with why each fact is shown. */
@ApiExcludeController()
@Public()
@Controller('console')
export class CaseworkController {
  constructor(private readonly pages: ConsolePages) {}

  @Get('inbox')
  async inbox(@Req() req: Request, @Res() res: Response): Promise<void> {
    const user = this.pages.require(req, res);
    if (!user) return;
    const answer = await this.pages.api.call<{ items: InboxItem[] }>(user.token, 'GET', '/v1/inbox?limit=50');
    if (answer.status !== 200) return this.pages.fail(res, user, answer, '/console');
    const items = answer.body.items.map((item) => {
      const p = item.payload;
      const rows = [
        { key: { text: 'When' }, value: { text: when(item.createdAt) } },
        ...(p.agencies?.length ? [{ key: { text: 'Agencies' }, value: { text: p.agencies.join(', ') } }] : []),
        ...(p.lead ? [{ key: { text: 'Lead worker' }, value: { text: `${p.lead.name} (${p.lead.agency})` } }] : []),
        ...(p.offer
          ? [
              { key: { text: 'Why you' }, value: { text: p.offer.explanation } },
              { key: { text: 'Answer by' }, value: { text: when(p.offer.deadline) } },
            ]
          : []),
        ...(p.reasons?.length ? [{ key: { text: 'What changed' }, value: { text: p.reasons.join('; ') } }] : []),
      ];
      return {
        ...item,
        label: LABELS[item.type] ?? item.type,
        rows,
        offer: p.offer ? { ...p.offer, open: item.type === 'offer.made' } : null,
      };
    });
    // Opening the inbox marks what it shows as read (the API keeps read/unread per item).
    for (const item of answer.body.items.filter((i) => !i.readAt))
      await this.pages.api.call(user.token, 'POST', `/v1/inbox/${item.id}/read`);
    this.pages.render(res, 'inbox.njk', user, { title: 'Inbox', items });
  }

  @Post('offers/:id/accept')
  async accept(@Param('id', ParseUUIDPipe) id: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const user = this.pages.require(req, res);
    if (!user) return;
    this.pages.checkCsrf(req, user);
    const answer = await this.pages.api.call<{ caseId: string }>(user.token, 'POST', `/v1/offers/${id}/accept`, {});
    if (answer.status !== 200) return this.pages.fail(res, user, answer, '/console/inbox');
    res.redirect(303, `/console/cases/${answer.body.caseId}?accepted=1`);
  }

  @Get('offers/:id/decline')
  declinePage(@Param('id', ParseUUIDPipe) id: string, @Req() req: Request, @Res() res: Response): void {
    const user = this.pages.require(req, res);
    if (user) this.pages.render(res, 'decline.njk', user, { title: 'Decline the offer', offerId: id });
  }

  @Post('offers/:id/decline')
  async decline(@Param('id', ParseUUIDPipe) id: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const user = this.pages.require(req, res);
    if (!user) return;
    this.pages.checkCsrf(req, user);
    const reason = String((req.body as { reason?: unknown }).reason ?? '').trim();
    if (!reason)
      return this.pages.render(
        res,
        'decline.njk',
        user,
        {
          title: 'Decline the offer',
          offerId: id,
          errors: [{ text: 'Enter why you are declining', href: '#reason' }],
        },
        400,
      );
    const answer = await this.pages.api.call(user.token, 'POST', `/v1/offers/${id}/decline`, { reason });
    if (answer.status !== 200) return this.pages.fail(res, user, answer, '/console/inbox');
    res.redirect(303, '/console/inbox');
  }

  @Get('cases/:id')
  async case(@Param('id', ParseUUIDPipe) id: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const user = this.pages.require(req, res);
    if (!user) return;
    const answer = await this.pages.api.call<CaseView>(user.token, 'GET', `/v1/cases/${id}`);
    if (answer.status !== 200) return this.pages.fail(res, user, answer, '/console/inbox');
    const c = answer.body;
    const summary = [
      { key: { text: 'Status' }, value: { text: c.status } },
      { key: { text: 'Agencies' }, value: { text: c.agencies.join(', ') } },
      {
        key: { text: 'Lead worker' },
        value: { text: c.lead ? `${c.lead.name ?? c.lead.workerId} (${c.lead.agency ?? ''})` : 'not yet agreed' },
      },
    ];
    const members = c.members.map((m, i) => ({
      caption: `${m.role ? `${m.role[0]!.toUpperCase()}${m.role.slice(1)}` : 'Family member'} ${i + 1}`,
      rows: m.facts.map((f) => [{ text: f.label }, { text: f.value }, { text: f.agency }, { text: f.sharedUnder }]),
    }));
    const offers = c.offers.map((o) => [
      {
        text:
          o.target.kind === 'worker'
            ? `a worker at ${o.target.agency}`
            : `${o.target.kind.replace('-', ' ')} at ${o.target.agency}`,
      },
      { text: `${o.status}${o.reason ? `: ${o.reason}` : ''}` },
      { text: o.explanation },
    ]);
    const events = c.events.map((e) => [{ text: when(e.at) }, { text: e.kind }, { text: e.reasons.join('; ') }]);
    this.pages.render(res, 'case.njk', user, {
      title: 'Coordinated case',
      flash: req.query.accepted ? 'You are the lead worker for this case' : undefined,
      summary,
      lead: c.lead,
      members,
      offers,
      events,
    });
  }
}

interface CaseView {
  status: string;
  agencies: string[];
  lead: { workerId: string; name: string | null; agency: string | null; why: string[] } | null;
  members: { role: string | null; facts: { label: string; value: string; agency: string; sharedUnder: string }[] }[];
  offers: { target: { kind: string; agency: string }; status: string; reason: string | null; explanation: string }[];
  events: { kind: string; reasons: string[]; at: string }[];
}

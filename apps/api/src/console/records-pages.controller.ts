import { Controller, Get, Param, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Public } from '../auth/public.decorator.js';
import { ConsolePages } from './console-pages.service.js';
import { q, SAFE, text } from './page-cells.js';

/**
 * Read-only pages: audit search and chain verification, subject access export, the side-by-side diff of
 * two agreement versions.
 */
@ApiExcludeController()
@Public()
@Controller('console')
export class RecordsPagesController {
  constructor(private readonly pages: ConsolePages) {}

  @Get('audit')
  async audit(@Req() req: Request, @Res() res: Response): Promise<void> {
    const user = this.pages.require(req, res);
    if (!user) return;
    const params = new URLSearchParams();
    for (const name of ['subject', 'type', 'purpose']) if (q(req, name)) params.set(name, q(req, name));
    const [events, verify] = await Promise.all([
      this.pages.api.call<{
        events: {
          seq: number;
          at: string;
          type: string;
          actor: { kind: string; id: string };
          agencyId: string | null;
          purpose: string | null;
          decision: string | null;
        }[];
      }>(user.token, 'GET', `/v1/audit/events?${params.toString()}`),
      req.query.verify
        ? this.pages.api.call<{ ok: boolean; checked: number; firstBroken?: { seq: number } }>(
            user.token,
            'GET',
            '/v1/audit/verify',
          )
        : null,
    ]);
    if (events.status !== 200) return this.pages.fail(res, user, events, '/console');
    this.pages.render(res, 'table-page.njk', user, {
      title: 'Audit trail',
      search: {
        action: '/console/audit',
        button: 'Search',
        fields: [
          { name: 'subject', label: 'Subject', hint: 'a person id or agency/external id', value: q(req, 'subject') },
          { name: 'type', label: 'Event type', hint: 'for example data.disclosed', value: q(req, 'type') },
          { name: 'purpose', label: 'Purpose', value: q(req, 'purpose') },
        ],
      },
      summary: verify
        ? [
            {
              key: { text: 'Chain' },
              value: {
                text: verify.body.ok
                  ? `intact: ${verify.body.checked} events checked`
                  : `BROKEN at seq ${verify.body.firstBroken?.seq ?? '?'}`,
              },
            },
          ]
        : undefined,
      links: verify ? [] : [{ href: '/console/audit?verify=1', text: 'Verify the whole chain' }],
      tables: [
        {
          head: [
            { text: 'Seq' },
            { text: 'When' },
            { text: 'Event' },
            { text: 'By' },
            { text: 'Agency' },
            { text: 'Purpose' },
            { text: 'Decision' },
          ],
          rows: events.body.events.map((e) => [
            text(String(e.seq)),
            text(e.at),
            text(e.type),
            text(`${e.actor.kind} ${e.actor.id}`),
            text(e.agencyId),
            text(e.purpose),
            text(e.decision),
          ]),
          empty: 'No events match.',
        },
      ],
    });
  }

  @Get('subject-access')
  async subjectAccess(@Req() req: Request, @Res() res: Response): Promise<void> {
    const user = this.pages.require(req, res);
    if (!user) return;
    const record = q(req, 'record');
    let tables: unknown[] = [];
    let summary: unknown;
    if (record) {
      if (!SAFE.test(record))
        return this.pages.render(
          res,
          'message.njk',
          user,
          { title: 'Subject access', message: 'Enter a record reference as agency/external id.' },
          400,
        );
      const answer = await this.pages.api.call<{
        records: { agency: string; externalId: string }[];
        decisions: unknown[];
        events: { type: string; at: string; agencyId: string | null; purpose: string | null }[];
        consents: { purpose: string; state: string }[];
        withheld: unknown[];
      }>(user.token, 'GET', `/v1/subject-access?record=${encodeURIComponent(record)}`);
      if (answer.status !== 200) return this.pages.fail(res, user, answer, '/console/subject-access');
      const b = answer.body;
      summary = [
        { key: { text: 'Records' }, value: { text: String(b.records.length) } },
        { key: { text: 'Governance decisions' }, value: { text: String(b.decisions.length) } },
        { key: { text: 'Withheld (exemptions)' }, value: { text: String(b.withheld.length) } },
      ];
      tables = [
        {
          heading: 'Records',
          head: [{ text: 'Agency' }, { text: 'Reference' }],
          rows: b.records.map((r) => [text(r.agency), text(r.externalId)]),
        },
        {
          heading: 'What happened with them',
          head: [{ text: 'When' }, { text: 'Event' }, { text: 'Agency' }, { text: 'Purpose' }],
          rows: b.events.map((e) => [text(e.at), text(e.type), text(e.agencyId), text(e.purpose)]),
        },
        {
          heading: 'Consent',
          head: [{ text: 'Purpose' }, { text: 'State' }],
          rows: b.consents.map((c) => [text(c.purpose), text(c.state)]),
        },
      ];
    }
    this.pages.render(res, 'table-page.njk', user, {
      title: 'Subject access',
      intro:
        'Everything the broker holds and did about one person, for a subject access request. Exempt items are counted, not shown.',
      search: {
        action: '/console/subject-access',
        button: 'Prepare the export',
        fields: [{ name: 'record', label: 'Record reference', hint: 'agency/external id', value: record }],
      },
      summary,
      tables,
    });
  }

  @Get('agreements/:id/diff')
  async diff(@Param('id') id: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const user = this.pages.require(req, res);
    if (!user) return;
    if (!SAFE.test(id))
      return this.pages.render(
        res,
        'message.njk',
        user,
        { title: 'Page not found', message: 'No such agreement.' },
        404,
      );
    const from = Number(q(req, 'from')) || 1;
    const to = Number(q(req, 'to')) || from + 1;
    const answer = await this.pages.api.call<{ changes: { path: string; from: unknown; to: unknown }[] }>(
      user.token,
      'GET',
      `/v1/governance/agreements/${id}/diff?from=${from}&to=${to}`,
    );
    if (answer.status !== 200)
      return this.pages.fail(res, user, answer, `/console/agreements/${encodeURIComponent(id)}`);
    const changes = answer.body.changes ?? [];
    this.pages.render(res, 'table-page.njk', user, {
      title: `Version ${from} and version ${to} side by side`,
      tables: [
        {
          head: [{ text: 'Field' }, { text: `Version ${from}` }, { text: `Version ${to}` }],
          rows: changes.map((c) => [text(c.path), text(c.from), text(c.to)]),
          empty: 'The two versions are the same.',
        },
      ],
      links: [{ href: `/console/agreements/${encodeURIComponent(id)}`, text: 'Back to the agreement' }],
    });
  }
}

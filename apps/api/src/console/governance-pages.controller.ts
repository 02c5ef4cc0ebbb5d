import { Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { ARTICLE6_BASES, CONSENT_RULES, KNOWN_PURPOSES } from '@joinedup/governance';
import { Public } from '../auth/public.decorator.js';
import { ConsolePages } from './console-pages.service.js';

interface AgreementBody {
  id: string;
  version: number;
  title: string;
  status: string;
  parties: string[];
  purposes: string[];
  flows: { from: string; to: string; categories: string[] }[];
  lawfulBasis: { article6: string; gateway?: string };
  consentRule: string;
  validFrom: string;
  validTo: string;
  reviewDate: string;
  dpiaReference: string;
  pendingApprovals?: string[];
  change?: { description?: string };
}
interface FlowChange {
  purpose: string;
  from: string;
  to: string;
  category: string;
  persons: number;
  records: number;
}

const SAFE_ID = /^[A-Za-z0-9._:-]{1,100}$/;
const day = (iso: string) => iso.slice(0, 10);
const lines = (text: unknown) =>
  String(text ?? '')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);

/** IG officers: agreements (draft, simulate, submit, approve, activate, suspend) and consent. */
@ApiExcludeController()
@Public()
@Controller('console')
export class GovernancePagesController {
  constructor(private readonly pages: ConsolePages) {}

  @Get('agreements')
  async list(@Req() req: Request, @Res() res: Response): Promise<void> {
    const user = this.pages.require(req, res);
    if (!user) return;
    const answer = await this.pages.api.call<{ items: AgreementBody[] }>(
      user.token,
      'GET',
      '/v1/governance/agreements',
    );
    if (answer.status !== 200) return this.pages.fail(res, user, answer, '/console');
    const rows = answer.body.items.map((a) => [
      { html: `<a class="govuk-link" href="/console/agreements/${encodeURIComponent(a.id)}">${escape(a.title)}</a>` },
      { text: `v${a.version}` },
      { text: a.status },
      { text: a.parties.join(', ') },
    ]);
    this.pages.render(res, 'agreements.njk', user, { title: 'Data-sharing agreements', rows });
  }

  @Get('agreements/new')
  newForm(@Req() req: Request, @Res() res: Response): void {
    const user = this.pages.require(req, res);
    if (user) this.renderForm(res, user, { parties: user.agency ?? '' });
  }

  @Post('agreements')
  async create(@Req() req: Request, @Res() res: Response): Promise<void> {
    const user = this.pages.require(req, res);
    if (!user) return;
    this.pages.checkCsrf(req, user);
    const form = req.body as Record<string, string | string[] | undefined>;
    const answer = await this.pages.api.call<AgreementBody>(
      user.token,
      'POST',
      '/v1/governance/agreements',
      dtoFromForm(form),
    );
    if (answer.status !== 201) {
      const errors = errorList(answer.body);
      return this.renderForm(res, user, form, errors, 400);
    }
    res.redirect(303, `/console/agreements/${encodeURIComponent(answer.body.id)}?simulate=1`);
  }

  @Get('agreements/:id/edit')
  async editForm(@Param('id') id: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const user = this.pages.require(req, res);
    if (!user) return;
    if (!SAFE_ID.test(id))
      return this.pages.render(
        res,
        'message.njk',
        user,
        { title: 'Page not found', message: 'No such agreement.' },
        404,
      );
    const found = await this.pages.api.call<{ latest: AgreementBody }>(
      user.token,
      'GET',
      `/v1/governance/agreements/${id}`,
    );
    if (found.status !== 200) return this.pages.fail(res, user, found, '/console/agreements');
    const a = found.body.latest;
    this.renderForm(res, user, {
      id,
      title: a.title,
      parties: a.parties.join('\n'),
      purposes: a.purposes,
      flows: a.flows.map((f) => `${f.from} > ${f.to}: ${f.categories.join(', ')}`).join('\n'),
      article6: a.lawfulBasis.article6,
      gateway: a.lawfulBasis.gateway ?? '',
      consentRule: a.consentRule,
      validFrom: day(a.validFrom),
      validTo: day(a.validTo),
      reviewDate: day(a.reviewDate),
      dpiaReference: a.dpiaReference,
    });
  }

  @Post('agreements/:id/edit')
  async edit(@Param('id') id: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const user = this.pages.require(req, res);
    if (!user) return;
    this.pages.checkCsrf(req, user);
    if (!SAFE_ID.test(id))
      return this.pages.render(
        res,
        'message.njk',
        user,
        { title: 'Page not found', message: 'No such agreement.' },
        404,
      );
    const form = req.body as Record<string, string | string[] | undefined>;
    const answer = await this.pages.api.call<AgreementBody>(
      user.token,
      'PATCH',
      `/v1/governance/agreements/${id}`,
      dtoFromForm(form),
    );
    if (answer.status !== 200) return this.renderForm(res, user, { ...form, id }, errorList(answer.body), 400);
    res.redirect(
      303,
      `/console/agreements/${encodeURIComponent(id)}?simulate=1&done=${encodeURIComponent('saved as a new draft version')}`,
    );
  }

  @Get('agreements/:id')
  async show(@Param('id') id: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const user = this.pages.require(req, res);
    if (!user) return;
    if (!SAFE_ID.test(id))
      return this.pages.render(
        res,
        'message.njk',
        user,
        { title: 'Page not found', message: 'No such agreement.' },
        404,
      );
    const found = await this.pages.api.call<{ latest: AgreementBody; versions: AgreementBody[] }>(
      user.token,
      'GET',
      `/v1/governance/agreements/${id}`,
    );
    if (found.status !== 200) return this.pages.fail(res, user, found, '/console/agreements');
    const a = found.body.latest;
    let simulation: Record<string, unknown> | undefined;
    if (req.query.simulate && (a.status === 'draft' || a.status === 'awaiting-approval')) {
      const sim = await this.pages.api.call<{
        problems: string[];
        summary: string[];
        starts: FlowChange[];
        stops: FlowChange[];
      }>(user.token, 'POST', `/v1/governance/agreements/${id}/simulate`);
      if (sim.status === 200) {
        const row = (f: FlowChange) => [
          { text: f.purpose },
          { text: f.from },
          { text: f.to },
          { text: f.category },
          { text: String(f.persons), format: 'numeric' },
          { text: String(f.records), format: 'numeric' },
        ];
        simulation = {
          problems: sim.body.problems,
          summary: sim.body.summary,
          starts: sim.body.starts.map(row),
          stops: sim.body.stops.map(row),
        };
      }
    }
    const summary = [
      ['Title', a.title],
      ['Version', `v${a.version}`],
      ['Status', a.status],
      ['Parties', a.parties.join(', ')],
      ['Purposes', a.purposes.join(', ')],
      ['Lawful basis', `${a.lawfulBasis.article6}${a.lawfulBasis.gateway ? ` (${a.lawfulBasis.gateway})` : ''}`],
      ['Consent', a.consentRule],
      ['In force', `${day(a.validFrom)} to ${day(a.validTo)}, review by ${day(a.reviewDate)}`],
      ['DPIA', a.dpiaReference],
      ...(a.pendingApprovals?.length ? [['Waiting for approval by', a.pendingApprovals.join(', ')]] : []),
    ].map(([k, v]) => ({ key: { text: k }, value: { text: v } }));
    const actions = [
      ...(a.status === 'draft'
        ? [
            { verb: 'simulate', text: 'Simulate what would flow', classes: 'govuk-button--secondary' },
            { verb: 'submit', text: 'Submit for approval' },
          ]
        : []),
      ...(a.status === 'awaiting-approval'
        ? [
            { verb: 'simulate', text: 'Simulate what would flow', classes: 'govuk-button--secondary' },
            { verb: 'approve', text: 'Approve' },
            { verb: 'activate', text: 'Activate' },
          ]
        : []),
      ...(a.status === 'active' ? [{ verb: 'suspend', text: 'Suspend', classes: 'govuk-button--warning' }] : []),
      ...(a.status === 'suspended' ? [{ verb: 'resume', text: 'Resume' }] : []),
    ];
    this.pages.render(res, 'agreement.njk', user, {
      title: a.title,
      id: a.id,
      summary,
      flows: a.flows.map((f) => [{ text: f.from }, { text: f.to }, { text: f.categories.join(', ') }]),
      simulation,
      actions,
      editable: a.status === 'draft' || a.status === 'awaiting-approval',
      flash: req.query.done ? `Agreement ${String(req.query.done)}` : undefined,
      versions: found.body.versions.map((v) => [
        { text: `v${v.version}` },
        { text: v.status },
        { text: v.change?.description ?? '' },
      ]),
    });
  }

  @Post('agreements/:id/:verb')
  async act(
    @Param('id') id: string,
    @Param('verb') verb: string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const user = this.pages.require(req, res);
    if (!user) return;
    this.pages.checkCsrf(req, user);
    if (!SAFE_ID.test(id))
      return this.pages.render(
        res,
        'message.njk',
        user,
        { title: 'Page not found', message: 'No such agreement.' },
        404,
      );
    if (verb === 'simulate') return void res.redirect(303, `/console/agreements/${encodeURIComponent(id)}?simulate=1`);
    if (!['submit', 'approve', 'activate', 'suspend', 'resume'].includes(verb))
      return this.pages.render(res, 'message.njk', user, { title: 'Page not found', message: 'No such action.' }, 404);
    const answer = await this.pages.api.call(
      user.token,
      'POST',
      `/v1/governance/agreements/${id}/${verb}`,
      verb === 'suspend' ? { reason: 'suspended from the console' } : undefined,
    );
    if (answer.status !== 200)
      return this.pages.fail(res, user, answer, `/console/agreements/${encodeURIComponent(id)}`);
    const done = {
      submit: 'submitted for approval',
      approve: 'approved',
      activate: 'activated',
      suspend: 'suspended',
      resume: 'resumed',
    }[verb];
    res.redirect(303, `/console/agreements/${encodeURIComponent(id)}?done=${encodeURIComponent(done ?? verb)}`);
  }

  @Get('consents')
  async consents(@Req() req: Request, @Res() res: Response): Promise<void> {
    const user = this.pages.require(req, res);
    if (!user) return;
    const subject = typeof req.query.subject === 'string' ? req.query.subject.trim() : '';
    let rows: unknown[] = [];
    if (subject) {
      const answer = await this.pages.api.call<{ items: { id: string; purpose: string; state: string; at: string }[] }>(
        user.token,
        'GET',
        `/v1/governance/consents?subject=${encodeURIComponent(subject)}`,
      );
      if (answer.status !== 200) return this.pages.fail(res, user, answer, '/console/consents');
      rows = answer.body.items.map((c) => [
        { text: c.purpose },
        { text: c.state },
        { text: day(c.at) },
        {
          html:
            c.state === 'given'
              ? `<form method="post" action="/console/consents/${c.id}/withdraw"><input type="hidden" name="csrf" value="${this.csrfFor(req)}"><input type="hidden" name="subject" value="${escape(subject)}"><button type="submit" class="govuk-button govuk-button--warning govuk-!-margin-bottom-0" data-module="govuk-button">Withdraw<span class="govuk-visually-hidden"> ${escape(c.purpose)} consent</span></button></form>`
              : '',
        },
      ]);
    }
    this.pages.render(res, 'consents.njk', user, {
      title: 'Consent',
      subject,
      rows,
      flash: req.query.done ? `Consent ${String(req.query.done)}` : undefined,
      purposeItems: KNOWN_PURPOSES.map((p) => ({ value: p, text: p })),
    });
  }

  @Post('consents')
  async recordConsent(@Req() req: Request, @Res() res: Response): Promise<void> {
    const user = this.pages.require(req, res);
    if (!user) return;
    this.pages.checkCsrf(req, user);
    const form = req.body as Record<string, string | undefined>;
    const subjectIds = lines(form.subjectIds);
    const answer = await this.pages.api.call(user.token, 'POST', '/v1/governance/consents', {
      subjectIds,
      purpose: form.purpose,
      state: form.state,
      evidenceRef: form.evidenceRef,
    });
    if (answer.status !== 201) return this.pages.fail(res, user, answer, '/console/consents');
    res.redirect(303, `/console/consents?subject=${encodeURIComponent(subjectIds[0] ?? '')}&done=recorded`);
  }

  @Post('consents/:id/withdraw')
  async withdraw(@Param('id') id: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const user = this.pages.require(req, res);
    if (!user) return;
    this.pages.checkCsrf(req, user);
    const answer = await this.pages.api.call(
      user.token,
      'POST',
      `/v1/governance/consents/${encodeURIComponent(id)}/withdraw`,
      {
        evidenceRef: 'recorded in the console',
      },
    );
    if (answer.status !== 200) return this.pages.fail(res, user, answer, '/console/consents');
    const subject = String((req.body as { subject?: unknown }).subject ?? '');
    res.redirect(303, `/console/consents?subject=${encodeURIComponent(subject)}&done=withdrawn`);
  }

  private csrfFor(req: Request): string {
    const user = this.pages.user(req);
    return user ? this.pages.csrfToken(user) : '';
  }

  private renderForm(
    res: Response,
    user: NonNullable<ReturnType<ConsolePages['user']>>,
    form: Record<string, unknown>,
    errors?: unknown[],
    status = 200,
  ) {
    const purposes = ([] as unknown[]).concat(form.purposes ?? []);
    this.pages.render(
      res,
      'agreement-form.njk',
      user,
      {
        title: form.id ? 'Edit the draft agreement' : 'Draft a data-sharing agreement',
        action: form.id ? `/console/agreements/${encodeURIComponent(String(form.id))}/edit` : '/console/agreements',
        form,
        errors,
        purposeItems: KNOWN_PURPOSES.map((p) => ({ value: p, text: p, checked: purposes.includes(p) })),
        article6Items: ARTICLE6_BASES.map((b) => ({ value: b, text: b, checked: form.article6 === b })),
        consentItems: CONSENT_RULES.map((r) => ({ value: r, text: r, checked: form.consentRule === r })),
      },
      status,
    );
  }
}

/** The form's fields as the API's agreement body: parties and flows one per line, dates as typed. */
function dtoFromForm(form: Record<string, string | string[] | undefined>) {
  const flows = lines(form.flows).map((line) => {
    const m = /^(\S+)\s*>\s*(\S+)\s*:\s*(.+)$/.exec(line);
    return m
      ? {
          from: m[1]!,
          to: m[2]!,
          categories: m[3]!
            .split(',')
            .map((c) => c.trim())
            .filter(Boolean),
        }
      : { from: line, to: '', categories: [] };
  });
  return {
    title: form.title,
    parties: lines(form.parties),
    purposes: ([] as string[]).concat(form.purposes ?? []),
    flows,
    lawfulBasis: { article6: form.article6, gateway: form.gateway || undefined },
    consentRule: form.consentRule,
    validFrom: form.validFrom,
    validTo: form.validTo,
    reviewDate: form.reviewDate,
    dpiaReference: form.dpiaReference,
  };
}

function errorList(body: unknown): { text: string; href?: string }[] {
  const b = body as { message?: string; details?: unknown };
  const details = Array.isArray(b?.details)
    ? (b.details as { field?: string; reason?: string; message?: string }[])
    : [];
  const items = details.map((d) => ({
    text: `${d.field ? `${d.field}: ` : ''}${d.reason ?? d.message ?? 'invalid'}`,
    ...(d.field ? { href: `#${d.field.split('.')[0]}` } : {}),
  }));
  return items.length > 0 ? items : [{ text: b?.message ?? 'The agreement could not be saved' }];
}

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

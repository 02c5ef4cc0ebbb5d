import { Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { SECTORS } from '@joinedup/core';
import { SCOPES } from '../auth/principal.js';
import { Public } from '../auth/public.decorator.js';
import type { ConsoleUser } from './console-session.js';
import { ConsolePages } from './console-pages.service.js';
import { esc, type FormValue, many, SAFE, text } from './page-cells.js';

const NOTIFICATION_TYPES = ['case.opened', 'case.updated', 'case.closed', 'offer.made', 'lead.assigned'];
const ROLES = ['caseworker', 'team-manager', 'ig-officer', 'agency-admin'];
type Form = Record<string, FormValue>;
const path = (...parts: string[]) => parts.map(encodeURIComponent).join('/');

interface ClientRow {
  clientId: string;
  name: string;
  scopes: string[];
  enabled: boolean;
  keyIds: string[];
  jwksUri?: string | null;
}

/**
 * The registry for admins: agencies; each agency's system clients and their keys, webhook endpoints and
 * people; and the broker's own signing keys. Every action is a call to the admin API, so an agency admin
 * reaches only their own agency here exactly as there.
 */
@ApiExcludeController()
@Public()
@Controller('console/admin')
export class RegistryPagesController {
  constructor(private readonly pages: ConsolePages) {}

  @Get('agencies')
  async agencies(@Req() req: Request, @Res() res: Response): Promise<void> {
    const user = this.pages.require(req, res);
    if (!user) return;
    const answer = await this.pages.api.call<{ id: string; name: string; sector: string }[]>(
      user.token,
      'GET',
      '/v1/admin/agencies',
    );
    if (answer.status !== 200) return this.pages.fail(res, user, answer, '/console');
    this.pages.render(res, 'agencies.njk', user, {
      title: 'Agencies',
      flash: typeof req.query.done === 'string' ? req.query.done : undefined,
      mayAdd: user.kind === 'platform-admin',
      sectorItems: SECTORS.map((s) => ({ value: s, text: s })),
      tables: [
        {
          head: [{ text: 'Agency' }, { text: 'Id' }, { text: 'Sector' }, { text: 'Registry' }],
          rows: answer.body.map((a) => [
            text(a.name),
            text(a.id),
            text(a.sector),
            {
              html: `<a class="govuk-link" href="/console/admin/agencies/${esc(path(a.id))}">Clients, webhooks and people<span class="govuk-visually-hidden"> of ${esc(a.name)}</span></a>`,
            },
          ]),
        },
      ],
    });
  }

  @Post('agencies')
  async addAgency(@Req() req: Request, @Res() res: Response): Promise<void> {
    const user = this.pages.require(req, res);
    if (!user) return;
    this.pages.checkCsrf(req, user);
    const form = req.body as Form;
    const answer = await this.pages.api.call(user.token, 'POST', '/v1/admin/agencies', {
      id: form.id,
      name: form.name,
      sector: form.sector,
    });
    if (answer.status !== 201) return this.pages.fail(res, user, answer, '/console/admin/agencies');
    res.redirect(303, `/console/admin/agencies?done=${encodeURIComponent('Agency added')}`);
  }

  @Get('agencies/:id')
  async agency(@Param('id') id: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const user = this.pages.require(req, res);
    if (!user) return;
    if (!SAFE.test(id)) return this.notFound(res, user);
    const base = `/v1/admin/agencies/${path(id)}`;
    const [clients, hooks, people] = await Promise.all([
      this.pages.api.call<ClientRow[]>(user.token, 'GET', `${base}/clients`),
      this.pages.api.call<{ id: string; url: string; eventTypes: string[]; enabled: boolean }[]>(
        user.token,
        'GET',
        `${base}/webhooks`,
      ),
      this.pages.api.call<
        { displayName: string; email: string; roles: string[]; team: string | null; active: boolean }[]
      >(user.token, 'GET', `${base}/people`),
    ]);
    for (const a of [clients, hooks, people])
      if (a.status !== 200) return this.pages.fail(res, user, a, '/console/admin/agencies');
    const csrf = this.pages.csrfToken(user);
    this.pages.render(res, 'agency.njk', user, {
      title: id,
      agencyId: id,
      flash: typeof req.query.done === 'string' ? req.query.done : undefined,
      eventItems: NOTIFICATION_TYPES.map((t) => ({ value: t, text: t, checked: true })),
      roleItems: ROLES.map((r) => ({ value: r, text: r })),
      scopeItems: SCOPES.map((s) => ({ value: s, text: s })),
      tables: [
        {
          heading: 'System clients and keys',
          head: [{ text: 'Client' }, { text: 'Scopes' }, { text: 'Keys' }, { text: 'Change' }],
          rows: clients.body.map((c) => [
            { html: `${esc(c.name)}<br><span class="govuk-body-s">${esc(c.clientId)}</span>` },
            text(c.scopes.join(' ')),
            text(c.jwksUri ? `fetched from ${c.jwksUri}` : c.keyIds.join(', ')),
            { html: clientActions(id, c, csrf) },
          ]),
          empty: 'No system clients yet: register one below so the agency system can ask for tokens.',
        },
        {
          heading: 'Webhook endpoints',
          head: [{ text: 'URL' }, { text: 'Events' }, { text: 'Enabled' }],
          rows: hooks.body.map((h) => [
            text(h.url),
            text(h.eventTypes.join(', ')),
            text(h.enabled ? 'yes' : 'no (410 Gone or disabled)'),
          ]),
        },
        {
          heading: 'People',
          head: [{ text: 'Name' }, { text: 'Email' }, { text: 'Roles' }, { text: 'Team' }],
          rows: people.body.map((p) => [text(p.displayName), text(p.email), text(p.roles.join(', ')), text(p.team)]),
        },
      ],
    });
  }

  @Post('agencies/:id/clients')
  async addClient(@Param('id') id: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const user = this.pages.require(req, res);
    if (!user) return;
    this.pages.checkCsrf(req, user);
    if (!SAFE.test(id)) return this.notFound(res, user);
    const form = req.body as Form;
    const jwks = this.jwksOf(res, user, form.jwks, `/console/admin/agencies/${path(id)}`);
    if (jwks === false) return;
    const jwksUri = typeof form.jwksUri === 'string' && form.jwksUri.trim() ? form.jwksUri.trim() : undefined;
    const answer = await this.pages.api.call<{ clientId: string }>(
      user.token,
      'POST',
      `/v1/admin/agencies/${path(id)}/clients`,
      { name: form.name, scopes: many(form.scopes), ...(jwks ? { jwks } : {}), ...(jwksUri ? { jwksUri } : {}) },
    );
    if (answer.status !== 201) return this.pages.fail(res, user, answer, `/console/admin/agencies/${path(id)}`);
    this.pages.render(res, 'message.njk', user, {
      title: 'Client registered',
      message:
        `The agency system asks for tokens at /oauth/token as client ${answer.body.clientId}, ` +
        'signing its client assertion with the private key of one of the public keys given here.',
      back: `/console/admin/agencies/${path(id)}`,
    });
  }

  @Get('agencies/:id/clients/:clientId/keys')
  keysForm(
    @Param('id') id: string,
    @Param('clientId') clientId: string,
    @Req() req: Request,
    @Res() res: Response,
  ): void {
    const user = this.pages.require(req, res);
    if (!user) return;
    if (!SAFE.test(id) || !SAFE.test(clientId)) return this.notFound(res, user);
    this.pages.render(res, 'client-keys.njk', user, {
      title: 'Replace the client’s keys',
      agencyId: id,
      clientId,
      action: `/console/admin/agencies/${path(id)}/clients/${path(clientId)}/keys`,
    });
  }

  @Post('agencies/:id/clients/:clientId/keys')
  async replaceKeys(
    @Param('id') id: string,
    @Param('clientId') clientId: string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const user = this.pages.require(req, res);
    if (!user) return;
    this.pages.checkCsrf(req, user);
    if (!SAFE.test(id) || !SAFE.test(clientId)) return this.notFound(res, user);
    const back = `/console/admin/agencies/${path(id)}/clients/${path(clientId)}/keys`;
    const jwks = this.jwksOf(res, user, (req.body as Form).jwks, back);
    if (jwks === false) return;
    const answer = await this.pages.api.call(
      user.token,
      'PUT',
      `/v1/admin/agencies/${path(id)}/clients/${path(clientId)}/keys`,
      { jwks },
    );
    if (answer.status !== 200) return this.pages.fail(res, user, answer, back);
    res.redirect(303, `/console/admin/agencies/${path(id)}?done=${encodeURIComponent('Keys replaced')}`);
  }

  @Post('agencies/:id/clients/:clientId/remove')
  async removeClient(
    @Param('id') id: string,
    @Param('clientId') clientId: string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const user = this.pages.require(req, res);
    if (!user) return;
    this.pages.checkCsrf(req, user);
    if (!SAFE.test(id) || !SAFE.test(clientId)) return this.notFound(res, user);
    const answer = await this.pages.api.call(
      user.token,
      'DELETE',
      `/v1/admin/agencies/${path(id)}/clients/${path(clientId)}`,
    );
    if (answer.status !== 204) return this.pages.fail(res, user, answer, `/console/admin/agencies/${path(id)}`);
    res.redirect(303, `/console/admin/agencies/${path(id)}?done=${encodeURIComponent('Client removed')}`);
  }

  @Post('agencies/:id/webhooks')
  async addWebhook(@Param('id') id: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const user = this.pages.require(req, res);
    if (!user) return;
    this.pages.checkCsrf(req, user);
    if (!SAFE.test(id)) return this.notFound(res, user);
    const form = req.body as Form;
    const answer = await this.pages.api.call<{ secret: string }>(
      user.token,
      'POST',
      `/v1/admin/agencies/${path(id)}/webhooks`,
      { url: form.url, eventTypes: many(form.eventTypes) },
    );
    if (answer.status !== 201) return this.pages.fail(res, user, answer, `/console/admin/agencies/${path(id)}`);
    // The secret is shown once, here, as the API returns it once.
    this.pages.render(res, 'message.njk', user, {
      title: 'Endpoint added',
      message: `Give the agency system this signing secret now; it is not shown again: ${answer.body.secret}`,
      back: `/console/admin/agencies/${path(id)}`,
    });
  }

  @Post('agencies/:id/people')
  async addPerson(@Param('id') id: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const user = this.pages.require(req, res);
    if (!user) return;
    this.pages.checkCsrf(req, user);
    if (!SAFE.test(id)) return this.notFound(res, user);
    const form = req.body as Form;
    const answer = await this.pages.api.call(user.token, 'POST', `/v1/admin/agencies/${path(id)}/people`, {
      displayName: form.displayName,
      email: form.email,
      staffRef: form.staffRef,
      roles: many(form.roles),
      ...(form.team ? { team: form.team } : {}),
      ...(form.password ? { password: form.password } : {}),
    });
    if (answer.status !== 201) return this.pages.fail(res, user, answer, `/console/admin/agencies/${path(id)}`);
    res.redirect(303, `/console/admin/agencies/${path(id)}?done=${encodeURIComponent('Person added')}`);
  }

  /** The broker's own signing keys (tokens, audit checkpoints): rotate, and retire what no longer verifies. */
  @Get('keys')
  async brokerKeys(@Req() req: Request, @Res() res: Response): Promise<void> {
    const user = this.pages.require(req, res);
    if (!user) return;
    const answer = await this.pages.api.call<{ kid: string; alg: string; status: string }[]>(
      user.token,
      'GET',
      '/v1/admin/keys',
    );
    if (answer.status !== 200) return this.pages.fail(res, user, answer, '/console');
    const csrf = this.pages.csrfToken(user);
    this.pages.render(res, 'broker-keys.njk', user, {
      title: 'Broker signing keys',
      flash: typeof req.query.done === 'string' ? req.query.done : undefined,
      tables: [
        {
          head: [{ text: 'Key id' }, { text: 'Algorithm' }, { text: 'Status' }, { text: 'Change' }],
          rows: answer.body.map((k) => [
            text(k.kid),
            text(k.alg),
            text(k.status),
            {
              html:
                k.status === 'verify-only'
                  ? postButton(`/console/admin/keys/${path(k.kid)}/retire`, csrf, 'Retire', k.kid)
                  : '',
            },
          ]),
        },
      ],
    });
  }

  @Post('keys/rotate')
  async rotate(@Req() req: Request, @Res() res: Response): Promise<void> {
    const user = this.pages.require(req, res);
    if (!user) return;
    this.pages.checkCsrf(req, user);
    const answer = await this.pages.api.call(user.token, 'POST', '/v1/admin/keys/rotate');
    if (answer.status !== 200) return this.pages.fail(res, user, answer, '/console/admin/keys');
    res.redirect(303, `/console/admin/keys?done=${encodeURIComponent('A new key signs from now on')}`);
  }

  @Post('keys/:kid/retire')
  async retire(@Param('kid') kid: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const user = this.pages.require(req, res);
    if (!user) return;
    this.pages.checkCsrf(req, user);
    if (!SAFE.test(kid)) return this.notFound(res, user);
    const answer = await this.pages.api.call(user.token, 'POST', `/v1/admin/keys/${path(kid)}/retire`);
    if (answer.status !== 204) return this.pages.fail(res, user, answer, '/console/admin/keys');
    res.redirect(303, `/console/admin/keys?done=${encodeURIComponent('Key retired')}`);
  }

  /** The JWKS field parsed; undefined when empty; false (the error page already sent) when it is not JSON. */
  private jwksOf(res: Response, user: ConsoleUser, value: FormValue, back: string): unknown {
    const raw = typeof value === 'string' ? value.trim() : '';
    if (!raw) return undefined;
    try {
      return JSON.parse(raw) as unknown;
    } catch {
      // The parser's message quotes the input; the page says what to fix instead.
      this.pages.render(
        res,
        'message.njk',
        user,
        {
          title: 'That did not work',
          errors: [{ text: 'jwks: is not JSON: paste the whole key set, {"keys": [ ... ]}', href: '#jwks' }],
          message: 'The public keys must be a JSON Web Key Set.',
          back,
        },
        400,
      );
      return false;
    }
  }

  private notFound(res: Response, user: ConsoleUser): void {
    this.pages.render(res, 'message.njk', user, { title: 'Page not found', message: 'No such page.' }, 404);
  }
}

function postButton(action: string, csrf: string, label: string, of: string): string {
  return (
    `<form method="post" action="${esc(action)}" class="govuk-!-margin-bottom-0">` +
    `<input type="hidden" name="csrf" value="${esc(csrf)}">` +
    `<button type="submit" class="govuk-button govuk-button--secondary govuk-!-margin-bottom-0" data-module="govuk-button">` +
    `${esc(label)}<span class="govuk-visually-hidden"> ${esc(of)}</span></button></form>`
  );
}

function clientActions(agencyId: string, client: ClientRow, csrf: string): string {
  const base = `/console/admin/agencies/${path(agencyId)}/clients/${path(client.clientId)}`;
  const replace = client.jwksUri
    ? ''
    : `<p class="govuk-body-s"><a class="govuk-link" href="${esc(base)}/keys">Replace keys<span class="govuk-visually-hidden"> of ${esc(client.name)}</span></a></p>`;
  return replace + postButton(`${base}/remove`, csrf, 'Remove', client.name);
}

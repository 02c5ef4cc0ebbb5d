import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { BROKER_CONFIG, type BrokerConfig } from '@joinedup/config';
import { BrokerError } from '@joinedup/core';
import { type ApiAnswer, ConsoleApi, errorsOf, type FieldError } from './console-api.js';
import { type ConsoleUser, CsrfTokens, currentUser } from './console-session.js';
import { consoleViews } from './views.js';

interface NavItem {
  href: string;
  text: string;
  hint?: string;
}

/** What every console page shares: the signed-in user, the API client, CSRF, rendering and navigation. */
@Injectable()
export class ConsolePages {
  readonly api: ConsoleApi;
  private readonly views = consoleViews();
  private readonly csrf = new CsrfTokens(randomBytes(32));
  readonly secureCookies: boolean;

  constructor(@Inject(BROKER_CONFIG) config: BrokerConfig) {
    // The console calls the API it is part of, on loopback: the same checks as any agency system.
    this.api = new ConsoleApi(`http://127.0.0.1:${config.port}`);
    this.secureCookies = config.publicUrl.startsWith('https:');
  }

  user(req: Request): ConsoleUser | undefined {
    return currentUser(req);
  }

  /** The signed-in user, or a redirect to sign in (answered here; the caller returns). */
  require(req: Request, res: Response): ConsoleUser | undefined {
    const user = currentUser(req);
    if (!user) res.redirect(303, '/console/sign-in');
    return user;
  }

  /** Every POST form carries the CSRF token bound to the session. */
  checkCsrf(req: Request, user: ConsoleUser): void {
    const body = req.body as Record<string, unknown> | undefined;
    if (!this.csrf.check(user.token, body?.csrf))
      throw new BrokerError(
        'FORBIDDEN',
        'The form has expired or did not come from this console; go back and try again',
      );
  }

  csrfToken(user: ConsoleUser): string {
    return this.csrf.issue(user.token);
  }

  render(
    res: Response,
    template: string,
    user: ConsoleUser | undefined,
    context: Record<string, unknown>,
    status = 200,
  ) {
    const html = this.views.render(template, {
      ...context,
      user,
      nav: user ? navFor(user) : [],
      csrf: user ? this.csrf.issue(user.token) : '',
      cspNonce: res.locals.cspNonce as string | undefined,
    });
    res.status(status).type('html').send(html);
  }

  /** The API said no: the page again with the GOV.UK error summary, or a message page. */
  fail(res: Response, user: ConsoleUser | undefined, answer: ApiAnswer<unknown>, back?: string): void {
    const errors: FieldError[] = errorsOf(answer).map(
      (e) => ({ ...e, href: e.field ? `#${e.field}` : undefined }) as FieldError,
    );
    this.render(
      res,
      'message.njk',
      user,
      { title: 'That did not work', errors, message: errors[0]?.text ?? '', back },
      answer.status >= 500 ? 502 : 400,
    );
  }
}

function navFor(user: ConsoleUser): NavItem[] {
  const has = (...roles: string[]) => roles.some((r) => user.roles.includes(r)) || user.kind === 'platform-admin';
  const items: NavItem[] = [];
  if (user.roles.includes('caseworker') || user.roles.includes('team-manager'))
    items.push({ href: '/console/inbox', text: 'Inbox', hint: 'offers, assignments and case updates' });
  if (has('ig-officer')) {
    items.push({ href: '/console/agreements', text: 'Agreements', hint: 'draft, simulate, approve, activate' });
    items.push({ href: '/console/consents', text: 'Consent', hint: 'record, find, withdraw' });
    items.push({ href: '/console/reviews', text: 'Review queue', hint: 'pairs the model was unsure about' });
    items.push({
      href: '/console/subject-access',
      text: 'Subject access',
      hint: 'what the broker holds and did about a person',
    });
  }
  if (has('ig-officer', 'agency-admin'))
    items.push({ href: '/console/audit', text: 'Audit', hint: 'search the trail, verify the chain' });
  if (has('agency-admin'))
    items.push({ href: '/console/admin/agencies', text: 'Agencies', hint: 'clients and keys, webhooks, people' });
  if (has('agency-admin', 'platform-admin'))
    items.push({
      href: '/console/admin/dead-letters',
      text: 'Dead letters',
      hint: 'replay or purge failed deliveries',
    });
  if (user.kind === 'platform-admin') {
    items.push({ href: '/console/admin/keys', text: 'Broker keys', hint: 'rotate and retire signing keys' });
    items.push({ href: '/admin/queues', text: 'Queues', hint: 'the queue dashboard' });
  }
  return items;
}

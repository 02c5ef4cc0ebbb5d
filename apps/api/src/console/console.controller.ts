import { Body, Controller, Get, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Public } from '../auth/public.decorator.js';
import { ConsolePages } from './console-pages.service.js';
import { clearSession, setSession } from './console-session.js';

/** Sign-in, sign-out and the start page. */
@ApiExcludeController()
@Public()
@Controller('console')
export class ConsoleController {
  constructor(private readonly pages: ConsolePages) {}

  @Get()
  start(@Req() req: Request, @Res() res: Response): void {
    const user = this.pages.require(req, res);
    if (user) this.pages.render(res, 'start.njk', user, { title: 'What you can do' });
  }

  @Get('sign-in')
  signInPage(@Req() req: Request, @Res() res: Response): void {
    this.pages.render(res, 'sign-in.njk', undefined, { title: 'Sign in' });
  }

  @Post('sign-in')
  async signIn(@Body() body: { email?: string; password?: string }, @Res() res: Response): Promise<void> {
    const answer = await this.pages.api.call<{ access_token?: string; expires_in?: number }>(
      null,
      'POST',
      '/v1/auth/sign-in',
      {
        email: body.email ?? '',
        password: body.password ?? '',
      },
    );
    if (answer.status !== 200 || !answer.body.access_token) {
      // One message whatever was wrong: which of the two it was is for an attacker to guess.
      this.pages.render(
        res,
        'sign-in.njk',
        undefined,
        {
          title: 'Sign in',
          email: body.email,
          errors: [{ text: 'Enter a correct email address and password', href: '#email' }],
        },
        401,
      );
      return;
    }
    setSession(res, answer.body.access_token, this.pages.secureCookies, answer.body.expires_in ?? 900);
    res.redirect(303, '/console');
  }

  @Post('sign-out')
  signOut(@Req() req: Request, @Res() res: Response): void {
    const user = this.pages.user(req);
    if (user) this.pages.checkCsrf(req, user);
    clearSession(res);
    res.redirect(303, '/console/sign-in');
  }
}

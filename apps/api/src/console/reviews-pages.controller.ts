import { Controller, Get, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Public } from '../auth/public.decorator.js';
import { ConsolePages } from './console-pages.service.js';

interface ReviewItem {
  a: string;
  b: string;
  recordIds: [string, string];
  probability: number;
  explanation: string;
  comparisons: { comparison: string; label: string; weight: number }[];
}

/** IG officers: the linkage review queue, a pair with its explanation, decided must-link or cannot-link. */
@ApiExcludeController()
@Public()
@Controller('console/reviews')
export class ReviewsPagesController {
  constructor(private readonly pages: ConsolePages) {}

  @Get()
  async list(@Req() req: Request, @Res() res: Response): Promise<void> {
    const user = this.pages.require(req, res);
    if (!user) return;
    const answer = await this.pages.api.call<{ items: ReviewItem[] }>(
      user.token,
      'GET',
      '/v1/linkage/reviews?limit=20',
    );
    if (answer.status !== 200) return this.pages.fail(res, user, answer, '/console');
    const items = answer.body.items.map((i) => ({
      ...i,
      rows: [
        { key: { text: 'Match probability' }, value: { text: i.probability.toFixed(3) } },
        { key: { text: 'Why' }, value: { text: i.explanation } },
      ],
      comparisons: i.comparisons.map((c) => [
        { text: c.comparison },
        { text: c.label },
        { text: c.weight.toFixed(2), format: 'numeric' },
      ]),
    }));
    this.pages.render(res, 'reviews.njk', user, {
      title: 'Review queue',
      items,
      flash: typeof req.query.done === 'string' ? req.query.done : undefined,
    });
  }

  @Post()
  async decide(@Req() req: Request, @Res() res: Response): Promise<void> {
    const user = this.pages.require(req, res);
    if (!user) return;
    this.pages.checkCsrf(req, user);
    const form = req.body as Record<string, string | undefined>;
    const answer = await this.pages.api.call<{
      effect: { persons: string[]; families: string[]; merged: number; split: number };
    }>(user.token, 'POST', '/v1/linkage/reviews', {
      a: form.a,
      b: form.b,
      decision: form.decision,
      ...(form.reason ? { reason: form.reason } : {}),
    });
    if (answer.status !== 200 && answer.status !== 201) return this.pages.fail(res, user, answer, '/console/reviews');
    const e = answer.body.effect;
    const done = `Decided ${form.decision ?? ''}: ${e.persons.length} person(s) and ${e.families.length} family(ies) changed, ${e.merged} merged, ${e.split} split`;
    res.redirect(303, `/console/reviews?done=${encodeURIComponent(done)}`);
  }
}

import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { BrokerError } from '@joinedup/core';
import { LinkageService } from '@joinedup/linkage-service';
import { LinkageRepository, withSystemScope } from '@joinedup/persistence';
import { auditActorOf, AuditTrail } from '../audit/audit-trail.service.js';
import { CurrentPrincipal, RequireRoles } from '../auth/auth.decorators.js';
import type { Principal } from '../auth/principal.js';
import { explainLink } from './link-explanation.js';
import { LinkQuery, ReviewDecisionDto, ReviewPageQuery } from './linkage.dto.js';

/**
 * Persons, links and the review queue, for IG officers and platform admins. Records are shown by their
 * agency reference (`agency/externalId`), never by their content; every read is audited.
 */
@ApiTags('linkage')
@ApiBearerAuth()
@RequireRoles('ig-officer', 'platform-admin')
@Controller('v1/linkage')
export class LinkageController {
  private readonly repo = new LinkageRepository();

  constructor(
    private readonly dataSource: DataSource,
    private readonly linkage: LinkageService,
    private readonly audit: AuditTrail,
  ) {}

  @Get('persons/:id')
  @ApiOperation({ summary: 'A person: its records, family and why they are linked (merged ids lead on)' })
  async person(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string) {
    return withSystemScope(this.dataSource, async (m) => {
      const view = await this.repo.personView(m, id);
      if (!view) throw new BrokerError('NOT_FOUND', 'no such person');
      const refs = new Map(view.records.map((r) => [r.id, `${r.agency}/${r.externalId}`]));
      await this.audit.append(m, {
        type: 'linkage.read',
        actor: auditActorOf(p),
        subjects: [view.person.id],
        details: { read: 'person' },
      });
      return {
        id: view.person.id,
        ...(view.person.id !== id ? { mergedFrom: id } : {}),
        familyId: view.person.familyId,
        records: view.records.map((r) => ({ id: r.id, agency: r.agency, externalId: r.externalId })),
        links: view.links.map((l) => explainLink(l, refs)),
      };
    });
  }

  @Get('links')
  @ApiOperation({ summary: 'One scored pair explained, in words and numbers' })
  async link(@CurrentPrincipal() p: Principal, @Query() q: LinkQuery) {
    return withSystemScope(this.dataSource, async (m) => {
      const link = await this.repo.link(m, q.a, q.b);
      if (!link) throw new BrokerError('NOT_FOUND', 'these records were not scored as a pair (below review)');
      await this.audit.append(m, {
        type: 'linkage.read',
        actor: auditActorOf(p),
        subjects: [q.a, q.b],
        details: { read: 'link' },
      });
      return explainLink(link, await this.repo.references(m, [q.a, q.b]));
    });
  }

  @Get('reviews')
  @ApiOperation({ summary: 'Pairs between the thresholds waiting for a decision, with their explanation' })
  async reviews(@CurrentPrincipal() p: Principal, @Query() q: ReviewPageQuery) {
    const after = q.cursor ? parseCursor(q.cursor) : null;
    const limit = q.limit ?? 50;
    return withSystemScope(this.dataSource, async (m) => {
      const page = await this.repo.reviewPage(m, after, limit);
      const refs = await this.repo.references(
        m,
        page.flatMap((l) => [l.a, l.b]),
      );
      await this.audit.append(m, {
        type: 'linkage.read',
        actor: auditActorOf(p),
        details: { read: 'reviews', count: page.length },
      });
      const last = page.at(-1);
      return {
        items: page.map((l) => explainLink(l, refs)),
        nextCursor: page.length === limit && last ? `${last.a}.${last.b}` : null,
      };
    });
  }

  @Post('reviews')
  @ApiOperation({ summary: 'Decide a pair (must-link / cannot-link): applied at once, kept through every re-link' })
  async decide(@CurrentPrincipal() p: Principal, @Body() dto: ReviewDecisionDto) {
    const actor = auditActorOf(p);
    const outcome = await this.linkage.recordDecision(
      { a: dto.a, b: dto.b },
      dto.decision,
      { id: actor.id, ...(actor.agency ? { agency: actor.agency } : {}) },
      dto.reason ?? null,
      `review-${dto.a}-${dto.b}`,
    );
    return { decision: dto.decision, effect: outcome };
  }
}

function parseCursor(cursor: string): { a: string; b: string } {
  const [a, b] = cursor.split('.');
  const uuid = /^[0-9a-f-]{36}$/i;
  if (!a || !b || !uuid.test(a) || !uuid.test(b)) throw new BrokerError('VALIDATION_FAILED', 'cursor is not valid');
  return { a, b };
}

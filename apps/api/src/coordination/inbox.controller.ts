import { Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { BrokerError } from '@joinedup/core';
import { queryRows, withSystemScope } from '@joinedup/persistence';
import { CurrentPrincipal, RequireScopes } from '../auth/auth.decorators.js';
import type { Principal } from '../auth/principal.js';
import { InboxQuery } from './coordination.dto.js';

interface InboxRow {
  id: string;
  type: string;
  case_id: string | null;
  payload: Record<string, unknown>;
  read_at: Date | null;
  created_at: Date;
}

/**
 * A worker's inbox: offers, assignments and case updates addressed to them, newest first. Only what was
 * released for sending shows (a notification suppressed by a consent withdrawal never appears).
 */
@ApiTags('inbox')
@ApiBearerAuth()
@Controller('v1/inbox')
export class InboxController {
  constructor(private readonly dataSource: DataSource) {}

  @Get()
  @RequireScopes('inbox:read')
  @ApiOperation({ summary: 'The caller’s notifications, newest first (`unread=true` for unread only); cursor paged' })
  async list(@CurrentPrincipal() p: Principal, @Query() q: InboxQuery) {
    const personId = workerOf(p);
    const limit = q.limit ?? 50;
    const after = q.cursor ? decodeCursor(q.cursor) : null;
    const rows = await withSystemScope(this.dataSource, (m) =>
      m.query<InboxRow[]>(
        `SELECT id, type, case_id, payload, read_at, created_at FROM notification
         WHERE person_id = $1 AND status = 'sent' AND ($2::boolean IS NOT TRUE OR read_at IS NULL)
           AND ($3::uuid IS NULL OR (created_at, id) < (SELECT created_at, id FROM notification WHERE id = $3::uuid))
         ORDER BY created_at DESC, id DESC LIMIT $4`,
        [personId, q.unread === 'true', after, limit + 1],
      ),
    );
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return {
      items: page.map((r) => ({
        id: r.id,
        type: r.type,
        caseId: r.case_id,
        payload: r.payload,
        readAt: r.read_at,
        createdAt: r.created_at,
      })),
      nextCursor: rows.length > limit && last ? encodeCursor(last.id) : null,
    };
  }

  @Post(':id/read')
  @HttpCode(200)
  @RequireScopes('inbox:write')
  @ApiOperation({ summary: 'Mark one of the caller’s notifications read' })
  read(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string) {
    return this.mark(p, id, true);
  }

  @Post(':id/unread')
  @HttpCode(200)
  @RequireScopes('inbox:write')
  @ApiOperation({ summary: 'Mark one of the caller’s notifications unread' })
  unread(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string) {
    return this.mark(p, id, false);
  }

  private async mark(p: Principal, id: string, read: boolean) {
    const personId = workerOf(p);
    const [row] = await withSystemScope(this.dataSource, (m) =>
      queryRows<{ id: string; read_at: Date | null }>(
        m,
        `UPDATE notification SET read_at = CASE WHEN $3 THEN coalesce(read_at, now()) ELSE NULL END
         WHERE id = $1 AND person_id = $2 AND status = 'sent' RETURNING id, read_at`,
        [id, personId, read],
      ),
    );
    if (!row) throw new BrokerError('NOT_FOUND', 'No such notification for you', { id });
    return { id: row.id, readAt: row.read_at };
  }
}

function workerOf(p: Principal): string {
  if (p.kind === 'platform-admin' || !p.personId)
    throw new BrokerError('FORBIDDEN', 'An inbox belongs to a worker (agency systems: send on-behalf-of)');
  return p.personId;
}

/** The cursor names the last item shown; the database compares its exact timestamp (JS dates lose microseconds). */
const encodeCursor = (id: string) => Buffer.from(id).toString('base64url');
function decodeCursor(cursor: string): string {
  const id = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!/^[0-9a-f-]{36}$/.test(id))
    throw new BrokerError('VALIDATION_FAILED', 'cursor is not one this API gave', [
      { field: 'cursor', reason: 'unknown cursor' },
    ]);
  return id;
}

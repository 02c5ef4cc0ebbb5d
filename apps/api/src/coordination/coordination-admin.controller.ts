import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { BrokerError } from '@joinedup/core';
import { CoordinationService } from '@joinedup/coordination-service';
import { queryRows, withSystemScope } from '@joinedup/persistence';
import { auditActorOf, AuditTrail } from '../audit/audit-trail.service.js';
import { CurrentPrincipal, RequireRoles } from '../auth/auth.decorators.js';
import type { Principal } from '../auth/principal.js';
import { DeliveryQueue } from './delivery-queue.service.js';
import { DeadLetterQuery, PublishLeadPolicyDto } from './coordination.dto.js';

/**
 * Coordination for administrators: the lead-worker policy (read by IG officers and team managers too,
 * so they can see how leads are chosen), and the dead-letter list of webhook deliveries (list, replay,
 * purge). Every change is audited.
 */
@ApiTags('coordination admin')
@ApiBearerAuth()
@Controller('v1/admin')
export class CoordinationAdminController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly coordination: CoordinationService,
    private readonly audit: AuditTrail,
    private readonly delivery: DeliveryQueue,
  ) {}

  @Get('coordination/lead-policy')
  @RequireRoles('platform-admin', 'ig-officer', 'team-manager')
  @ApiOperation({ summary: 'The lead-worker policy in force, and its published versions' })
  async policy() {
    return withSystemScope(this.dataSource, async (m) => ({
      policy: await this.coordination.policy(m),
      versions: await m.query(
        `SELECT version, published_by AS "publishedBy", reason, published_at AS "publishedAt"
         FROM lead_policy_version ORDER BY version DESC LIMIT 50`,
      ),
    }));
  }

  @Put('coordination/lead-policy')
  @RequireRoles('platform-admin')
  @ApiOperation({ summary: 'Publish a new lead-worker policy version (checked; every problem listed)' })
  async publish(@CurrentPrincipal() p: Principal, @Body() dto: PublishLeadPolicyDto) {
    return this.coordination.publishPolicy(dto.policy, `person:${auditActorOf(p).id}`, dto.reason);
  }

  @Get('dead-letters')
  @RequireRoles('platform-admin', 'agency-admin')
  @ApiOperation({ summary: 'Webhook deliveries that failed for good, with the reason (agency admins: their own)' })
  async deadLetters(@CurrentPrincipal() p: Principal, @Query() q: DeadLetterQuery) {
    const agency = p.kind === 'platform-admin' ? (q.agency ?? null) : p.agencyId;
    const rows = await withSystemScope(this.dataSource, (m) =>
      m.query(
        `SELECT d.id, d.agency_id AS agency, d.endpoint_id AS "endpointId", n.type, n.case_id AS "caseId",
                d.attempts, d.last_status AS "lastStatus", d.dead_reason AS reason, d.created_at AS "createdAt"
         FROM webhook_delivery d JOIN notification n ON n.id = d.notification_id
         WHERE d.status = 'dead' AND ($1::text IS NULL OR d.agency_id = $1) ORDER BY d.created_at DESC LIMIT $2`,
        [agency, q.limit ?? 50],
      ),
    );
    return { items: rows };
  }

  @Post('dead-letters/:id/replay')
  @HttpCode(200)
  @RequireRoles('platform-admin', 'agency-admin')
  @ApiOperation({ summary: 'Try a dead delivery again from its first attempt (same webhook-id)' })
  async replay(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string) {
    const row = await this.change(p, id, 'webhook.replayed', (m) =>
      queryRows<{ id: string; created_at: Date }>(
        m,
        `UPDATE webhook_delivery SET status = 'pending', attempts = 0, dead_reason = NULL, next_attempt_at = NULL,
           created_at = clock_timestamp() WHERE id = $1 AND status = 'dead' AND ($2::text IS NULL OR agency_id = $2)
         RETURNING id, created_at`,
        [id, agencyOf(p)],
      ),
    );
    // A replay is a new round of attempts: its own job ids, so it is not mistaken for the old round.
    await this.delivery.replay(row.id, row.created_at.getTime());
    return { id: row.id, status: 'pending' };
  }

  @Delete('dead-letters/:id')
  @HttpCode(204)
  @RequireRoles('platform-admin', 'agency-admin')
  @ApiOperation({ summary: 'Purge a dead delivery (the notification stays in the worker inbox and the audit trail)' })
  async purge(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    await this.change(p, id, 'webhook.purged', (m) =>
      queryRows<{ id: string }>(
        m,
        `DELETE FROM webhook_delivery WHERE id = $1 AND status = 'dead' AND ($2::text IS NULL OR agency_id = $2) RETURNING id`,
        [id, agencyOf(p)],
      ),
    );
  }

  private async change<T>(
    p: Principal,
    id: string,
    type: string,
    work: (m: import('typeorm').EntityManager) => Promise<T[]>,
  ): Promise<T> {
    return withSystemScope(this.dataSource, async (m) => {
      const [row] = await work(m);
      if (!row) throw new BrokerError('NOT_FOUND', 'No such dead letter', { id });
      await this.audit.append(m, { type, actor: auditActorOf(p), agencyId: agencyOf(p), details: { deliveryId: id } });
      return row;
    });
  }
}

const agencyOf = (p: Principal): string | null => (p.kind === 'platform-admin' ? null : p.agencyId);

import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  AuditSequencer,
  AuditVerifier,
  exportAuditLines,
  readCheckpoints,
  searchEvents,
  type AuditPage,
  type AuditVerification,
  type StoredCheckpoint,
} from '@joinedup/audit';
import { BrokerError, type Clock } from '@joinedup/core';
import type { Principal } from '../auth/principal.js';
import type { AuditSearchQuery } from './audit-search.dto.js';
import { AUDIT_CLOCK, AuditTrail, auditActorOf, onBehalfOf } from './audit-trail.service.js';

/** The agency whose events the caller may read; null for the platform admin, who reads them all. */
export function auditScopeOf(principal: Principal): string | null {
  return principal.kind === 'platform-admin' ? null : principal.agencyId;
}

/**
 * Reads of the audit trail, each itself audited (`audit.searched`, with what was asked, never what was
 * found). IG officers and agency admins read their own agency's events only.
 */
@Injectable()
export class AuditReads {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditTrail,
    @Inject(AUDIT_CLOCK) private readonly clock: Clock,
  ) {}

  async search(principal: Principal, query: AuditSearchQuery): Promise<AuditPage> {
    const scope = auditScopeOf(principal);
    if (scope !== null && query.agency !== undefined && query.agency !== scope)
      throw new BrokerError('FORBIDDEN', "only the platform admin reads other agencies' audit events");
    const agencyId = scope ?? query.agency;
    // Events committed by writers that do not wait for the chain (linkage) are chained first, so a search
    // sees everything committed before it.
    await AuditSequencer.of(this.dataSource).flush();
    // The read and the record of it commit together.
    return this.dataSource.transaction(async (manager) => {
      const page = await searchEvents(manager, {
        subject: query.subject,
        agencyId,
        purpose: query.purpose,
        type: query.type,
        from: query.from,
        to: query.to,
        beforeSeq: query.cursor,
        limit: query.limit,
      });
      await this.audit.append(manager, {
        type: 'audit.searched',
        actor: auditActorOf(principal),
        agencyId: scope,
        purpose: query.purpose ?? null,
        subjects: query.subject ? [query.subject] : [],
        details: {
          operation: 'search',
          filter: {
            agency: agencyId ?? null,
            type: query.type ?? null,
            from: query.from?.toISOString() ?? null,
            to: query.to?.toISOString() ?? null,
            cursor: query.cursor ?? null,
            limit: query.limit,
          },
          returned: page.events.length,
          ...onBehalfOf(principal),
        },
      });
      return page;
    });
  }

  /** The whole chain against the latest signed checkpoint; the result names the first broken seq. */
  async verify(principal: Principal): Promise<AuditVerification> {
    await this.recordRead(principal, 'verify');
    return new AuditVerifier(this.dataSource).verify();
  }

  async checkpoints(principal: Principal): Promise<StoredCheckpoint[]> {
    await this.recordRead(principal, 'checkpoints');
    return readCheckpoints(this.dataSource);
  }

  /** Recorded before the first line, so the export contains the record of itself. */
  async export(principal: Principal): Promise<AsyncGenerator<string>> {
    await this.recordRead(principal, 'export');
    return exportAuditLines(this.dataSource, { exportedAt: this.clock.now() });
  }

  private async recordRead(principal: Principal, operation: 'verify' | 'checkpoints' | 'export'): Promise<void> {
    await this.audit.record({
      type: 'audit.searched',
      actor: auditActorOf(principal),
      agencyId: auditScopeOf(principal),
      details: { operation, ...onBehalfOf(principal) },
    });
  }
}

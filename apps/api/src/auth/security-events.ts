import { Injectable, Logger } from '@nestjs/common';
import type { AuditActor } from '@joinedup/audit';
import { AuditTrail } from '../audit/audit-trail.service.js';

export interface SecurityEvent {
  type:
    | 'token.issued'
    | 'token.refused'
    | 'access.denied'
    | 'access.cross-agency'
    | 'sign-in.succeeded'
    | 'sign-in.failed'
    | 'keys.rotated'
    | 'keys.retired';
  agencyId?: string | null;
  /** Absent when nobody could be identified (a refused token or sign-in). */
  actor?: AuditActor;
  /** Ids and reasons only: never names, e-mail addresses, identifiers or credentials. */
  details?: Record<string, unknown>;
}

/** The actor of events nobody could be identified for. */
export const UNIDENTIFIED: AuditActor = { kind: 'system', id: 'unidentified-caller' };

/**
 * The one call site for security-relevant events: each is logged and appended to the audit chain in a
 * short transaction of its own (these events have no business transaction). An event that cannot be
 * audited fails the request: access is never granted unrecorded.
 */
@Injectable()
export class SecurityEvents {
  private readonly logger = new Logger('security');

  constructor(private readonly audit: AuditTrail) {}

  async record(event: SecurityEvent): Promise<void> {
    this.logger.log({ security: event }, event.type);
    await this.audit.record({
      type: event.type,
      actor: event.actor ?? UNIDENTIFIED,
      agencyId: event.agencyId ?? null,
      details: event.details ?? {},
    });
  }
}

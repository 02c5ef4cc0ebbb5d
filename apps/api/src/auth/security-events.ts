import { Logger } from '@nestjs/common';

const logger = new Logger('security');

export interface SecurityEvent {
  type:
    | 'token.issued'
    | 'token.refused'
    | 'access.denied'
    | 'access.cross-agency'
    | 'registry.changed'
    | 'sign-in.succeeded'
    | 'sign-in.failed'
    | 'keys.rotated'
    | 'keys.retired';
  agencyId?: string | null;
  clientId?: string;
  actor?: string;
  /** Ids and reasons only: never names, identifiers or credentials. */
  details?: Record<string, unknown>;
}

/**
 * The one call site for security-relevant events. Today it writes a structured log line; when the
 * hash-chained audit writer lands in the service it moves to the audit log, here and only here.
 */
export function recordSecurityEvent(event: SecurityEvent): void {
  logger.log({ security: event }, event.type);
}

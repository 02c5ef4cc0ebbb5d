import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditWriter, type AuditActor, type AuditEventInput, type RecordedAuditEvent } from '@joinedup/audit';
import type { Clock } from '@joinedup/core';
import type { Principal } from '../auth/principal.js';

export const AUDIT_CLOCK = Symbol('AUDIT_CLOCK');

/** An event as the api records it: the time comes from the clock. */
export type AuditEntry = Omit<AuditEventInput, 'at'>;

/**
 * Who did it, as the audit chain names them: ids only. The platform admin's token subject carries its
 * e-mail address, so it is recorded by role, never by that subject.
 */
export function auditActorOf(principal: Principal): AuditActor {
  switch (principal.kind) {
    case 'client':
      return { kind: 'agency-client', id: principal.clientId, agency: principal.agencyId };
    case 'person':
      return { kind: 'person', id: principal.personId, agency: principal.agencyId };
    case 'platform-admin':
      return { kind: 'person', id: 'platform-admin' };
  }
}

/** Details every event of a principal carries: the person a client acts for. */
export function onBehalfOf(principal: Principal): Record<string, string> {
  return principal.kind === 'client' && principal.personId ? { onBehalfOf: principal.personId } : {};
}

/**
 * The api's door to the audit chain. `append` writes inside the transaction of the change it records
 * (it takes no lock; the commit waits until the event is in the chain); `record` is for events with
 * no business transaction of their own (sign-in, token, access denied, audit reads), in a short one.
 */
@Injectable()
export class AuditTrail {
  private readonly writer = new AuditWriter();

  constructor(
    private readonly dataSource: DataSource,
    @Inject(AUDIT_CLOCK) private readonly clock: Clock,
  ) {}

  append(manager: EntityManager, entry: AuditEntry): Promise<RecordedAuditEvent> {
    return this.writer.append(manager, { ...entry, at: this.clock.now() });
  }

  appendMany(manager: EntityManager, entries: AuditEntry[]): Promise<RecordedAuditEvent[]> {
    const at = this.clock.now();
    return this.writer.appendMany(
      manager,
      entries.map((entry) => ({ ...entry, at })),
    );
  }

  record(entry: AuditEntry): Promise<RecordedAuditEvent> {
    return this.dataSource.transaction((manager) => this.append(manager, entry));
  }
}

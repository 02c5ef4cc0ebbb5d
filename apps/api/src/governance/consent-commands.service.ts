import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditWriter } from '@joinedup/audit';
import { BrokerError, newId, systemClock } from '@joinedup/core';
import { LiveGovernance } from '@joinedup/enforcement';
import { consentRecordProblems } from '@joinedup/governance';
import { ConsentRegisterRepository, withAgencyScope, type StoredConsent } from '@joinedup/persistence';
import type { Principal } from '../auth/principal.js';
import type { RecordConsentDto, WithdrawConsentDto } from './consent.dto.js';
import { agencyOfCaller, auditActorOfPrincipal } from './governance-actor.js';

type NewConsent = Omit<StoredConsent, 'id'>;

/** Who recorded it: the person, or the agency system when no person is named. */
function recorderOf(p: Principal): string {
  if (p.kind === 'client') return p.personId ?? p.clientId;
  return p.personId;
}

/**
 * Records consent decisions, append-only, each with its audit event in one transaction, and hands
 * them to this process's engine at once (others follow by NOTIFY: a withdrawal bites within a second).
 */
@Injectable()
export class ConsentCommands {
  private readonly register: ConsentRegisterRepository;
  private readonly audit = new AuditWriter();
  private readonly clock = systemClock;

  constructor(
    private readonly dataSource: DataSource,
    private readonly live: LiveGovernance,
  ) {
    this.register = new ConsentRegisterRepository(dataSource);
  }

  record(principal: Principal, dto: RecordConsentDto): Promise<StoredConsent> {
    const agencyId = agencyOfCaller(principal);
    return this.store(principal, {
      subjectIds: [...new Set(dto.subjectIds)],
      purpose: dto.purpose,
      state: dto.state,
      scope: dto.scope ?? null,
      recordedBy: recorderOf(principal),
      evidenceRef: dto.evidenceRef,
      at: dto.at ? new Date(dto.at) : this.clock.now(),
      expiresAt: dto.expiresAt ? new Date(dto.expiresAt) : null,
      agencyId,
      supersedes: null,
    });
  }

  /** A new `withdrawn` record for the same subject, purpose and scope that supersedes `id`. */
  withdraw(principal: Principal, id: string, dto: WithdrawConsentDto): Promise<StoredConsent> {
    const agencyId = agencyOfCaller(principal);
    return this.store(principal, null, async (m) => {
      const given = await this.register.findIn(m, id);
      if (!given) throw new BrokerError('NOT_FOUND', 'no such consent record');
      return {
        ...given,
        state: 'withdrawn',
        recordedBy: recorderOf(principal),
        evidenceRef: dto.evidenceRef,
        at: dto.at ? new Date(dto.at) : this.clock.now(),
        expiresAt: null,
        agencyId,
        supersedes: given.id,
      };
    });
  }

  bySubject(principal: Principal, subject: string): Promise<StoredConsent[]> {
    return this.register.bySubject(agencyOfCaller(principal), subject);
  }

  private async store(
    principal: Principal,
    ready: NewConsent | null,
    build?: (m: Parameters<Parameters<typeof withAgencyScope>[2]>[0]) => Promise<NewConsent>,
  ): Promise<StoredConsent> {
    const stored = await withAgencyScope(this.dataSource, agencyOfCaller(principal), async (m) => {
      const c = ready ?? (await build!(m));
      // The engine's own rules, checked once per subject id (they differ only in the subject).
      const problems = consentRecordProblems({
        ...c,
        id: newId(),
        subject: c.subjectIds[0] ?? '',
        scope: c.scope ?? 'all',
        expiresAt: c.expiresAt ?? undefined,
      });
      if (problems.length > 0) {
        throw new BrokerError('VALIDATION_FAILED', problems.join(' '), { problems });
      }
      const row = await this.register.append(m, c);
      await this.audit.append(m, {
        type: 'governance.consent-recorded',
        actor: auditActorOfPrincipal(principal),
        at: this.clock.now(),
        agencyId: row.agencyId,
        purpose: row.purpose,
        subjects: row.subjectIds,
        details: { consentId: row.id, state: row.state, scope: row.scope ?? 'all', supersedes: row.supersedes },
      });
      return row;
    });
    this.live.applyConsent(stored);
    return stored;
  }
}

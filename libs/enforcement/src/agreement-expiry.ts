import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { expireDue, SYSTEM_ACTOR } from '@joinedup/governance';
import { AgreementRegisterRepository, withSystemScope } from '@joinedup/persistence';
import { appendAgreementVersion } from './agreement-change.js';
import { LiveGovernance } from './live-governance.js';

/**
 * Expires active and suspended agreements whose end date has passed: run by the worker's
 * `agreements.expire` schedule. Idempotent: an expired agreement is not due again. Each expiry is
 * its own transaction, so two workers racing lose only on the (id, version) key of one agreement.
 */
@Injectable()
export class AgreementExpiry {
  private readonly register: AgreementRegisterRepository;

  constructor(
    private readonly dataSource: DataSource,
    private readonly live: LiveGovernance,
  ) {
    this.register = new AgreementRegisterRepository(dataSource);
  }

  /** Ids of the agreements expired now. */
  async expireDue(at: Date): Promise<string[]> {
    const due = expireDue(await this.register.latestAll(), at);
    const expired: string[] = [];
    for (const next of due) {
      try {
        await withSystemScope(this.dataSource, (m) =>
          appendAgreementVersion(m, this.register, next, { kind: 'system', id: SYSTEM_ACTOR.person }),
        );
        this.live.applyAgreement(next);
        expired.push(next.id);
      } catch (error) {
        // Someone else wrote the next version first; the next run looks again.
        if (!isUniqueViolation(error)) throw error;
      }
    }
    return expired;
  }
}

export function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: string } | null)?.code === '23505' || /duplicate key/.test(String(error));
}

import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { BROKER_CONFIG, type BrokerConfig } from '@joinedup/config';
import { recordOfProcessing, type ProcessingActivity } from '@joinedup/governance';
import { AgreementRegisterRepository } from '@joinedup/persistence';
import { auditActorOf, AuditTrail, onBehalfOf } from '../audit/audit-trail.service.js';
import { agencyOf, type Principal } from '../auth/principal.js';

/** Enough for any one place's register; the register is read whole, not paged. */
const MAX_AGREEMENTS = 10_000;

/**
 * The record of processing activities (UK GDPR Art 30), generated from the agreements in force: an IG
 * officer sees those their agency is a party to, the platform admin all. Reading it is audited.
 */
@Injectable()
export class ReadRopa {
  private readonly agreements: AgreementRegisterRepository;

  constructor(
    dataSource: DataSource,
    private readonly audit: AuditTrail,
    @Inject(BROKER_CONFIG) private readonly config: BrokerConfig,
  ) {
    this.agreements = new AgreementRegisterRepository(dataSource);
  }

  async execute(
    principal: Principal,
  ): Promise<{ generatedAt: string; processor: string; activities: ProcessingActivity[] }> {
    const agency = agencyOf(principal);
    const latest =
      agency === null
        ? await this.agreements.latestAll()
        : await this.agreements.list(agency, { limit: MAX_AGREEMENTS });
    const activities = recordOfProcessing(latest, { withdrawnDays: this.config.retentionDaysWithdrawn });
    const event = await this.audit.record({
      type: 'governance.ropa-read',
      actor: auditActorOf(principal),
      agencyId: agency,
      details: { activities: activities.length, ...onBehalfOf(principal) },
    });
    return {
      generatedAt: event.at,
      processor: `Joined-up broker at ${this.config.publicUrl}, processing for the controllers named in each activity`,
      activities,
    };
  }
}

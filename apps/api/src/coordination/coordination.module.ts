import { Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CoordinationService, loadCoordinationSettings } from '@joinedup/coordination-service';
import { EnforcementModule, LiveGovernance } from '@joinedup/enforcement';
import { CaseViewService } from './case-view.service.js';
import { CasesController } from './cases.controller.js';
import { CoordinationAdminController } from './coordination-admin.controller.js';
import { DeliveryQueue } from './delivery-queue.service.js';
import { InboxController } from './inbox.controller.js';

/** /v1/cases, /v1/offers, /v1/inbox and /v1/admin coordination: cases, offers, inboxes, policy, dead letters. */
@Module({
  imports: [EnforcementModule],
  controllers: [CasesController, InboxController, CoordinationAdminController],
  providers: [
    CaseViewService,
    DeliveryQueue,
    {
      provide: CoordinationService,
      inject: [DataSource, LiveGovernance],
      useFactory: (dataSource: DataSource, governance: LiveGovernance) =>
        new CoordinationService(dataSource, governance, loadCoordinationSettings()),
    },
  ],
})
export class CoordinationModule {}

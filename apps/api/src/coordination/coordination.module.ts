import { Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CoordinationService, loadCoordinationSettings } from '@joinedup/coordination-service';
import { EnforcementModule, LiveGovernance } from '@joinedup/enforcement';
import { CaseViewService } from './case-view.service.js';
import { CasesController } from './cases.controller.js';

/** /v1/cases and /v1/offers: the case picture and lead offers. */
@Module({
  imports: [EnforcementModule],
  controllers: [CasesController],
  providers: [
    CaseViewService,
    {
      provide: CoordinationService,
      inject: [DataSource, LiveGovernance],
      useFactory: (dataSource: DataSource, governance: LiveGovernance) =>
        new CoordinationService(dataSource, governance, loadCoordinationSettings()),
    },
  ],
})
export class CoordinationModule {}

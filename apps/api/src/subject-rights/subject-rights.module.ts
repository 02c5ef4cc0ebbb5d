import { Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { EnforcementModule, LiveGovernance } from '@joinedup/enforcement';
import { LinkageService, loadTrainedModel } from '@joinedup/linkage-service';
import { ApplySubjectRight } from './apply-subject-right.usecase.js';
import { ExportSubjectAccess } from './export-subject-access.usecase.js';
import { ReadRopa } from './read-ropa.usecase.js';
import { RopaController } from './ropa.controller.js';
import { SubjectRightsController } from './subject-rights.controller.js';

/** /v1/subject-access, /v1/subject-rights and /v1/governance/ropa. */
@Module({
  imports: [EnforcementModule],
  controllers: [SubjectRightsController, RopaController],
  providers: [
    ExportSubjectAccess,
    ApplySubjectRight,
    ReadRopa,
    {
      provide: LinkageService,
      inject: [DataSource, LiveGovernance],
      useFactory: (dataSource: DataSource, governance: LiveGovernance) =>
        new LinkageService(dataSource, loadTrainedModel(), governance),
    },
  ],
})
export class SubjectRightsModule {}

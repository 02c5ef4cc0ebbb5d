import { Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { EnforcementModule, LiveGovernance } from '@joinedup/enforcement';
import { LinkageService, loadTrainedModel } from '@joinedup/linkage-service';
import { LinkageAdminController } from './linkage-admin.controller.js';
import { LinkageController } from './linkage.controller.js';
import { LinkageRunsController } from './linkage-runs.controller.js';

/** /v1/linkage and /v1/admin/linkage: persons, explanations, the review queue, export, batch re-links and model versions. */
@Module({
  imports: [EnforcementModule],
  controllers: [LinkageController, LinkageAdminController, LinkageRunsController],
  providers: [
    {
      provide: LinkageService,
      inject: [DataSource, LiveGovernance],
      useFactory: (dataSource: DataSource, governance: LiveGovernance) =>
        new LinkageService(dataSource, loadTrainedModel(), governance),
    },
  ],
})
export class LinkageModule {}

import { Module } from '@nestjs/common';
import { EnforcementModule } from '@joinedup/enforcement';
import { AgreementCommands } from './agreement-commands.service.js';
import { AgreementsController } from './agreements.controller.js';
import { ConsentCommands } from './consent-commands.service.js';
import { ConsentsController } from './consents.controller.js';
import { DecisionsController } from './decisions.controller.js';

/** /v1/governance: agreements, consent and decisions for IG officers (the engine itself is in EnforcementModule). */
@Module({
  imports: [EnforcementModule],
  controllers: [AgreementsController, ConsentsController, DecisionsController],
  providers: [AgreementCommands, ConsentCommands],
})
export class GovernanceModule {}

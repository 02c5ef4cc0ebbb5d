import { Global, Module } from '@nestjs/common';
import { AgreementExpiry } from './agreement-expiry.js';
import { GovernanceDecider } from './governance-decider.js';
import { LiveGovernance } from './live-governance.js';

/** The live decision engine and the recorded decide(), for the api and the worker alike. */
@Global()
@Module({
  providers: [LiveGovernance, GovernanceDecider, AgreementExpiry],
  exports: [LiveGovernance, GovernanceDecider, AgreementExpiry],
})
export class EnforcementModule {}

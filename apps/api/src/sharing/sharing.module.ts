import { Module } from '@nestjs/common';
import { EnforcementModule } from '@joinedup/enforcement';
import { SharedRecordsController } from './shared-records.controller.js';

/** Reads of other agencies' data, through the governance decision for each. */
@Module({ imports: [EnforcementModule], controllers: [SharedRecordsController] })
export class SharingModule {}

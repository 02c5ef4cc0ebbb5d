import { Module } from '@nestjs/common';
import { FhirController } from '../fhir/fhir.controller.js';
import { BulkRecordsController } from './bulk-records.controller.js';
import { RecordIntakeService } from './record-intake.service.js';
import { RecordsController } from './records.controller.js';

@Module({
  controllers: [BulkRecordsController, RecordsController, FhirController],
  providers: [RecordIntakeService],
})
export class RecordsModule {}

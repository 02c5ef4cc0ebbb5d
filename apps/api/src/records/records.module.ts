import { Module } from '@nestjs/common';
import { BulkRecordsController } from './bulk-records.controller.js';
import { RecordIntakeService } from './record-intake.service.js';
import { RecordsController } from './records.controller.js';

@Module({
  controllers: [BulkRecordsController, RecordsController],
  providers: [RecordIntakeService],
})
export class RecordsModule {}

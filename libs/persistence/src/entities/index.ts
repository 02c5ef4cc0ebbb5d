import { AuditEventEntity } from './audit-event.entity.js';
import { IntakeRequestEntity } from './intake-request.entity.js';
import { OutboxEventEntity } from './outbox-event.entity.js';
import { RecordChangeEntity } from './record-change.entity.js';
import { SourceRecordEntity } from './source-record.entity.js';

export { AuditEventEntity, IntakeRequestEntity, OutboxEventEntity, RecordChangeEntity, SourceRecordEntity };
export * from './record-change.entity.js';

/** Every entity the broker maps; the drift check compares exactly these with the migrations. */
export const ENTITIES = [OutboxEventEntity, SourceRecordEntity, RecordChangeEntity, IntakeRequestEntity, AuditEventEntity];

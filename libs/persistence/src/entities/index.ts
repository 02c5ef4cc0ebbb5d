import { AgencyEntity } from './agency.entity.js';
import { ApiClientEntity } from './api-client.entity.js';
import { AuditCheckpointEntity } from './audit-checkpoint.entity.js';
import { AuditEventEntity } from './audit-event.entity.js';
import { BrokerSigningKeyEntity } from './broker-signing-key.entity.js';
import { IntakeRequestEntity } from './intake-request.entity.js';
import { OutboxEventEntity } from './outbox-event.entity.js';
import { PersonEntity } from './person.entity.js';
import { RecordChangeEntity } from './record-change.entity.js';
import { SourceRecordEntity } from './source-record.entity.js';
import { WebhookEndpointEntity } from './webhook-endpoint.entity.js';

export {
  AgencyEntity,
  ApiClientEntity,
  AuditCheckpointEntity,
  AuditEventEntity,
  BrokerSigningKeyEntity,
  IntakeRequestEntity,
  OutboxEventEntity,
  PersonEntity,
  RecordChangeEntity,
  SourceRecordEntity,
  WebhookEndpointEntity,
};
export * from './record-change.entity.js';

/** Every entity the broker maps; the drift check compares exactly these with the migrations. */
export const ENTITIES = [
  OutboxEventEntity,
  SourceRecordEntity,
  RecordChangeEntity,
  IntakeRequestEntity,
  AuditEventEntity,
  AuditCheckpointEntity,
  AgencyEntity,
  ApiClientEntity,
  PersonEntity,
  WebhookEndpointEntity,
  BrokerSigningKeyEntity,
];

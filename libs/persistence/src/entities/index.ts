import { AgencyEntity } from './agency.entity.js';
import { AgreementVersionEntity } from './agreement-version.entity.js';
import { ApiClientEntity } from './api-client.entity.js';
import { AuditCheckpointEntity } from './audit-checkpoint.entity.js';
import { AuditEventEntity } from './audit-event.entity.js';
import { AuditPendingEntity } from './audit-pending.entity.js';
import { BrokerSigningKeyEntity } from './broker-signing-key.entity.js';
import { CaseEventEntity } from './case-event.entity.js';
import { CoordinatedCaseEntity } from './coordinated-case.entity.js';
import { LeadPolicyVersionEntity } from './lead-policy-version.entity.js';
import { LeadOfferEntity } from './lead-offer.entity.js';
import { ConsentRecordEntity } from './consent-record.entity.js';
import { GovernanceDecisionEntity } from './governance-decision.entity.js';
import { FamilyEntity } from './family.entity.js';
import { LinkageChangeEntity } from './linkage-change.entity.js';
import { LinkageDecisionEntity } from './linkage-decision.entity.js';
import { LinkageExplanationEntity } from './linkage-explanation.entity.js';
import { LinkageLinkEntity } from './linkage-link.entity.js';
import { LinkageRecordEntity } from './linkage-record.entity.js';
import { LinkageModelVersionEntity } from './linkage-model-version.entity.js';
import { LinkageRunEntity } from './linkage-run.entity.js';
import { LinkageRunPairEntity } from './linkage-run-pair.entity.js';
import { LinkageRunPartitionEntity } from './linkage-run-partition.entity.js';
import { LinkedPersonEntity } from './linked-person.entity.js';
import { LinkageFamilyKeyEntity } from './linkage-family-key.entity.js';
import { LinkageKeyEntity } from './linkage-key.entity.js';
import { IntakeRequestEntity } from './intake-request.entity.js';
import { NotificationEntity } from './notification.entity.js';
import { OutboxEventEntity } from './outbox-event.entity.js';
import { PersonEntity } from './person.entity.js';
import { RecordChangeEntity } from './record-change.entity.js';
import { SourceRecordEntity } from './source-record.entity.js';
import { WebhookDeliveryEntity } from './webhook-delivery.entity.js';
import { WebhookEndpointEntity } from './webhook-endpoint.entity.js';

export {
  AgencyEntity,
  AgreementVersionEntity,
  ApiClientEntity,
  AuditCheckpointEntity,
  AuditEventEntity,
  AuditPendingEntity,
  BrokerSigningKeyEntity,
  CaseEventEntity,
  ConsentRecordEntity,
  CoordinatedCaseEntity,
  GovernanceDecisionEntity,
  IntakeRequestEntity,
  LeadOfferEntity,
  LeadPolicyVersionEntity,
  LinkageKeyEntity,
  LinkageFamilyKeyEntity,
  LinkageExplanationEntity,
  LinkedPersonEntity,
  LinkageRecordEntity,
  LinkageLinkEntity,
  LinkageDecisionEntity,
  LinkageChangeEntity,
  LinkageModelVersionEntity,
  LinkageRunEntity,
  LinkageRunPairEntity,
  LinkageRunPartitionEntity,
  FamilyEntity,
  NotificationEntity,
  OutboxEventEntity,
  PersonEntity,
  RecordChangeEntity,
  SourceRecordEntity,
  WebhookDeliveryEntity,
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
  AgreementVersionEntity,
  ConsentRecordEntity,
  GovernanceDecisionEntity,
  LinkageRecordEntity,
  LinkedPersonEntity,
  FamilyEntity,
  LinkageLinkEntity,
  LinkageExplanationEntity,
  LinkageDecisionEntity,
  LinkageChangeEntity,
  LinkageKeyEntity,
  LinkageFamilyKeyEntity,
  CoordinatedCaseEntity,
  CaseEventEntity,
  LeadOfferEntity,
  NotificationEntity,
  WebhookDeliveryEntity,
  LeadPolicyVersionEntity,
  LinkageRunEntity,
  LinkageRunPartitionEntity,
  LinkageRunPairEntity,
  LinkageModelVersionEntity,
  AuditPendingEntity,
];

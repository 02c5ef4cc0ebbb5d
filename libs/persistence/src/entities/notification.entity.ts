import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * One thing to tell one recipient about a case: a worker's inbox item, and what the agency's webhook
 * endpoints receive. Written with the case change it announces (and its outbox row) in one transaction.
 * The payload is already cut to what governance lets the recipient see; `disclosures` says what it
 * discloses, so the delivery can re-check it and suppress it if consent was withdrawn meanwhile.
 */
@Entity({ name: 'notification' })
@Index('notification_person_idx', ['personId', 'createdAt'])
@Index('notification_case_idx', ['caseId'])
export class NotificationEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  /** The recipient agency. */
  @Column({ name: 'agency_id', type: 'text' })
  agencyId!: string;

  /** The recipient worker (registry person id); null: the agency as a whole. */
  @Column({ name: 'person_id', type: 'uuid', nullable: true })
  personId!: string | null;

  @Column({ name: 'case_id', type: 'uuid', nullable: true })
  caseId!: string | null;

  /** case.opened, case.updated, case.closed, offer.made, lead.assigned, ... */
  @Column({ type: 'text' })
  type!: string;

  /** Ids and permitted facts only. */
  @Column({ type: 'jsonb' })
  payload!: Record<string, unknown>;

  /** [{ fromAgency, subjects, categories }] for purpose case-coordination. */
  @Column({ type: 'jsonb', default: () => "'[]'" })
  disclosures!: { fromAgency: string; subjects: string[]; categories: string[] }[];

  @Column({ type: 'text', default: 'pending' })
  status!: 'pending' | 'sent' | 'suppressed';

  @Column({ name: 'suppressed_reason', type: 'text', nullable: true })
  suppressedReason!: string | null;

  @Column({ name: 'read_at', type: 'timestamptz', nullable: true })
  readAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

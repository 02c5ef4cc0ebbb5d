import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** The history of a case: every change with its reasons, in plain words and as data. */
@Entity({ name: 'case_event' })
@Index('case_event_case_idx', ['caseId', 'at'])
export class CaseEventEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint' })
  id!: string;

  @Column({ name: 'case_id', type: 'uuid' })
  caseId!: string;

  /** opened, updated, closed, offer.made, offer.accepted, offer.declined, offer.expired, escalated, handed-over, ... */
  @Column({ type: 'text' })
  kind!: string;

  @Column({ type: 'text', array: true })
  reasons!: string[];

  /** Structured changes (ids and codes only). */
  @Column({ type: 'jsonb', default: () => "'{}'" })
  details!: Record<string, unknown>;

  /** `system` or `person:<id>`. */
  @Column({ type: 'text' })
  actor!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  at!: Date;
}

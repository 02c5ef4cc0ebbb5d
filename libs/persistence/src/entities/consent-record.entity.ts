import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * A subject's consent decision for one purpose. Never edited: a withdrawal is a new record that
 * supersedes the old one. Subjects are ids (a person id and/or `agency/externalId` record refs).
 * `agency_id` is the agency that recorded it; the engine reads every agency's records in system scope.
 */
@Entity({ name: 'consent_record' })
@Index('consent_record_agency_at_idx', ['agencyId', 'at'])
export class ConsentRecordEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  // GIN, created by hand in NotifyGovernanceChanges; synchronize: false keeps the generator off it.
  @Index('consent_record_subjects_gin', { synchronize: false })
  @Column({ name: 'subject_ids', type: 'text', array: true })
  subjectIds!: string[];

  @Column({ type: 'text' })
  purpose!: string;

  @Column({ type: 'text' })
  state!: 'given' | 'refused' | 'withdrawn';

  /** Receiving agencies the decision is about; null means every agency. */
  @Column({ type: 'text', array: true, nullable: true })
  scope!: string[] | null;

  @Column({ name: 'recorded_by', type: 'text' })
  recordedBy!: string;

  @Column({ name: 'evidence_ref', type: 'text' })
  evidenceRef!: string;

  @Column({ type: 'timestamptz' })
  at!: Date;

  @Column({ name: 'expires_at', type: 'timestamptz', nullable: true })
  expiresAt!: Date | null;

  @Column({ name: 'agency_id', type: 'text' })
  agencyId!: string;

  /** The record a withdrawal (or correction) replaces. */
  @Column({ type: 'uuid', nullable: true })
  supersedes!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

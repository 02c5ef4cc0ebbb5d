import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { CanonicalRecord } from '@joinedup/core';

export type SourceRecordStatus = 'active' | 'withdrawn' | 'restricted' | 'erased';

/** One agency's record about one person, keyed by (agency, external id) and versioned by the agency. */
@Entity({ name: 'source_record' })
@Index('source_record_agency_external_uq', ['agencyId', 'externalId'], { unique: true })
export class SourceRecordEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'agency_id', type: 'text' })
  agencyId!: string;

  @Column({ name: 'external_id', type: 'text' })
  externalId!: string;

  @Column({ type: 'int' })
  version!: number;

  /** sha256 of the canonical JSON: a repeated identical request changes nothing. */
  @Column({ name: 'content_hash', type: 'text' })
  contentHash!: string;

  /** The canonical record; emptied when the agency withdraws it. */
  @Column({ type: 'jsonb' })
  record!: CanonicalRecord | Record<string, never>;

  /** Paths of values kept out of matching (invalid check digit, malformed postcode). */
  @Column({ name: 'invalid_fields', type: 'text', array: true, default: () => "'{}'" })
  invalidFields!: string[];

  /** restricted: kept, but out of matching and disclosure; erased: emptied on a subject's request (a tombstone). */
  @Column({ type: 'text', default: 'active' })
  status!: SourceRecordStatus;

  @Column({ name: 'withdrawn_at', type: 'timestamptz', nullable: true })
  withdrawnAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

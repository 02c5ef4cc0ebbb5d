import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export const RECORD_CHANGE_KINDS = [
  'created',
  'updated',
  'withdrawn',
  'erased',
  'restricted',
  'linked',
  'unlinked',
  'in-review',
  'case-opened',
] as const;
export type RecordChangeKind = (typeof RECORD_CHANGE_KINDS)[number];

/**
 * The change feed an agency reads: what the broker did with its records, in order.
 * `details` holds ids and counts only, never personal data.
 */
@Entity({ name: 'record_change' })
@Index('record_change_agency_seq_idx', ['agencyId', 'seq'])
export class RecordChangeEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  seq!: string;

  @Column({ name: 'agency_id', type: 'text' })
  agencyId!: string;

  @Column({ name: 'record_id', type: 'uuid' })
  recordId!: string;

  @Column({ name: 'external_id', type: 'text' })
  externalId!: string;

  @Column({ type: 'text' })
  kind!: RecordChangeKind;

  @Column({ type: 'int', nullable: true })
  version!: number | null;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  details!: Record<string, unknown>;

  @CreateDateColumn({ name: 'at', type: 'timestamptz' })
  at!: Date;
}

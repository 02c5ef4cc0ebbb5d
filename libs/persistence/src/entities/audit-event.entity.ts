import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * One append-only, hash-chained audit event (DPA 2018 s62 fields: who, which agency, why, about whom,
 * what was decided, under which agreement, when). The app role may only SELECT and INSERT; a trigger
 * refuses UPDATE, DELETE and TRUNCATE for everyone. Subjects are ids, never names.
 */
@Entity({ name: 'audit_event' })
@Index('audit_event_agency_at_idx', ['agencyId', 'at'])
// GIN, not btree: `subjects @> ARRAY[...]` searches use it, and one intake chunk names thousands of
// records (a btree row may not exceed 8 kB).
@Index('audit_event_subjects_idx', ['subjects'], { type: 'gin' })
export class AuditEventEntity {
  /** Position in the chain, from 1, without gaps. */
  @PrimaryColumn({ type: 'bigint' })
  seq!: string;

  @Column({ type: 'uuid', unique: true })
  id!: string;

  @Column({ type: 'timestamptz' })
  at!: Date;

  @Column({ type: 'text' })
  type!: string;

  /** { kind: 'agency-client' | 'person' | 'system', id, agency? } */
  @Column({ type: 'jsonb' })
  actor!: Record<string, unknown>;

  @Column({ name: 'agency_id', type: 'text', nullable: true })
  agencyId!: string | null;

  @Column({ type: 'text', nullable: true })
  purpose!: string | null;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  subjects!: string[];

  @Column({ type: 'text', nullable: true })
  decision!: 'allow' | 'deny' | null;

  /** { id, version } of the agreement a decision used. */
  @Column({ type: 'jsonb', nullable: true })
  agreement!: Record<string, unknown> | null;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  details!: Record<string, unknown>;

  @Column({ name: 'prev_hash', type: 'text' })
  prevHash!: string;

  @Column({ type: 'text' })
  hash!: string;
}

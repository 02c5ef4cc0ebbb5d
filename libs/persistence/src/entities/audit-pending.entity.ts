import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/**
 * Audit events committed with the change they record but not yet in the hash chain. Writers insert here
 * without any lock; the sequencer (libs/audit AuditSequencer) moves them into `audit_event` in order,
 * many per transaction, right after each writer's commit, so writers never wait on one another's
 * commit for the chain. Rows live here for milliseconds, or until the next sweep after a crash.
 */
@Entity({ name: 'audit_pending' })
export class AuditPendingEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint' })
  id!: string;

  @Column({ name: 'event_id', type: 'uuid', unique: true })
  eventId!: string;

  @Column({ type: 'timestamptz' })
  at!: Date;

  @Column({ type: 'text' })
  type!: string;

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

  @Column({ type: 'jsonb', nullable: true })
  agreement!: Record<string, unknown> | null;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  details!: Record<string, unknown>;
}

import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** An offer to be a case's lead worker (libs/coordination offer-state.ts is its state machine). */
@Entity({ name: 'lead_offer' })
@Index('lead_offer_case_idx', ['caseId', 'offeredAt'])
@Index('lead_offer_pending_deadline_idx', ['deadline'], { where: `status = 'pending'` })
export class LeadOfferEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ name: 'case_id', type: 'uuid' })
  caseId!: string;

  /** worker, duty-team or team-manager. */
  @Column({ name: 'target_kind', type: 'text' })
  targetKind!: 'worker' | 'duty-team' | 'team-manager';

  @Column({ name: 'worker_id', type: 'uuid', nullable: true })
  workerId!: string | null;

  @Column({ name: 'agency_id', type: 'text' })
  agencyId!: string;

  @Column({ type: 'text' })
  team!: string;

  @Column({ type: 'text' })
  explanation!: string;

  @Column({ type: 'text' })
  status!: string;

  @Column({ name: 'offered_at', type: 'timestamptz' })
  offeredAt!: Date;

  @Column({ type: 'timestamptz' })
  deadline!: Date;

  @Column({ name: 'decided_at', type: 'timestamptz', nullable: true })
  decidedAt!: Date | null;

  @Column({ name: 'lead_worker_id', type: 'uuid', nullable: true })
  leadWorkerId!: string | null;

  @Column({ type: 'text', nullable: true })
  reason!: string | null;

  @Column({ name: 'handed_over_to', type: 'uuid', nullable: true })
  handedOverTo!: string | null;

  @Column({ name: 'handed_over_from', type: 'uuid', nullable: true })
  handedOverFrom!: string | null;
}

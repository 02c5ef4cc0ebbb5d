import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * One governance decision, allow or deny, as the engine gave it: stored for the audit trail and for
 * the "shared because ..." explanation. Append-only. Visible to IG officers of both agencies.
 */
@Entity({ name: 'governance_decision' })
@Index('governance_decision_from_at_idx', ['fromAgency', 'at'])
@Index('governance_decision_to_at_idx', ['toAgency', 'at'])
export class GovernanceDecisionEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'timestamptz' })
  at!: Date;

  @Column({ type: 'text' })
  purpose!: string;

  @Column({ name: 'from_agency', type: 'text' })
  fromAgency!: string;

  @Column({ name: 'to_agency', type: 'text' })
  toAgency!: string;

  /** Ids only: person ids and `agency/externalId` record refs. */
  @Column({ type: 'text', array: true })
  subjects!: string[];

  @Column({ type: 'text', array: true })
  requested!: string[];

  @Column({ type: 'text', array: true })
  permitted!: string[];

  /** Fields the flow was narrowed to; null means every field of the permitted categories. */
  @Column({ type: 'text', array: true, nullable: true })
  fields!: string[] | null;

  @Column({ type: 'text' })
  decision!: 'allow' | 'deny';

  @Column({ name: 'agreement_id', type: 'text', nullable: true })
  agreementId!: string | null;

  @Column({ name: 'agreement_version', type: 'int', nullable: true })
  agreementVersion!: number | null;

  @Column({ name: 'consent_ref', type: 'text', nullable: true })
  consentRef!: string | null;

  @Column({ type: 'jsonb' })
  reasons!: string[];

  /** Which enforcement point asked (`identity-matching link`, `dry-run`, ...). */
  @Column({ type: 'text' })
  context!: string;
}

import { Column, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/**
 * A scored pair of source records at or above the review threshold (a < b), with each comparison's level
 * and weight (its explanation) so it can be explained. `decision` is the model's; `governance` says whether a cross-agency
 * link was allowed for identity-matching (a denied pair never joins a person).
 */
@Entity({ name: 'linkage_link' })
@Index('linkage_link_b_idx', ['b'])
@Index('linkage_link_review_idx', ['decision'], { where: `decision = 'review'` })
export class LinkageLinkEntity {
  @PrimaryColumn({ type: 'uuid' })
  a!: string;

  @PrimaryColumn({ type: 'uuid' })
  b!: string;

  @Column({ type: 'double precision' })
  probability!: number;

  @Column({ type: 'text' })
  decision!: 'link' | 'review';

  /** 'allowed' within one agency or under an agreement; 'denied' blocks the link. */
  @Column({ type: 'text' })
  governance!: 'same-agency' | 'allowed' | 'denied';

  /** Its comparisons' levels and weights (shared with every link scored alike). */
  @Column({ name: 'explanation_id', type: 'uuid' })
  explanationId!: string;

  @Column({ name: 'model_version', type: 'text' })
  modelVersion!: string;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

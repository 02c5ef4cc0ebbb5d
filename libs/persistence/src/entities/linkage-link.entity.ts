import { Column, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/**
 * A scored pair of source records at or above the review threshold (a < b), with each comparison's level
 * and weight so it can be explained. `decision` is the model's; `governance` says whether a cross-agency
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

  /** [{ name, level, label, weight }] */
  @Column({ type: 'jsonb' })
  comparisons!: Record<string, unknown>[];

  @Column({ name: 'model_version', type: 'text' })
  modelVersion!: string;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** A person's decision on a pair: it overrides the model and survives every re-link. Latest per pair wins. */
@Entity({ name: 'linkage_decision' })
@Index('linkage_decision_pair_idx', ['a', 'b'])
export class LinkageDecisionEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  a!: string;

  @Column({ type: 'uuid' })
  b!: string;

  @Column({ type: 'text' })
  decision!: 'must-link' | 'cannot-link';

  @Column({ name: 'decided_by', type: 'text' })
  decidedBy!: string;

  @Column({ type: 'text', nullable: true })
  reason!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

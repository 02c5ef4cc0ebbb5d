import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * A batch re-link from scratch, spread over the worker processes: `partitions` jobs each score the
 * candidate pairs of their share of the blocks (linkage_run_partition, linkage_run_pair), then one merge
 * job clusters, governs and writes the answer. A dry run stops at the diff. Ids and counts only.
 */
@Entity({ name: 'linkage_run' })
@Index('linkage_run_created_idx', ['createdAt'])
export class LinkageRunEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  /** The model version the run scores with (linkage_model_version). */
  @Column({ name: 'model_version', type: 'text' })
  modelVersion!: string;

  @Column({ name: 'dry_run', type: 'boolean' })
  dryRun!: boolean;

  @Column({ type: 'int' })
  partitions!: number;

  @Column({ type: 'text' })
  status!: 'scoring' | 'merging' | 'done' | 'failed';

  /** `person:<id>`, `client:<id>` or `cli`: who asked. */
  @Column({ name: 'requested_by', type: 'text' })
  requestedBy!: string;

  /** The RelinkDiff once merged. */
  @Column({ type: 'jsonb', nullable: true })
  diff!: Record<string, unknown> | null;

  /** Why it failed, without personal data. */
  @Column({ type: 'text', nullable: true })
  error!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true })
  finishedAt!: Date | null;
}

import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * A pair a partition scored at or above review, waiting for its run's merge (which deletes them). The
 * comparisons are kept so the merge stores explained links without scoring again.
 */
@Entity({ name: 'linkage_run_pair' })
@Index('linkage_run_pair_partition_idx', ['runId', 'partition'])
export class LinkageRunPairEntity {
  @PrimaryColumn({ name: 'run_id', type: 'uuid' })
  runId!: string;

  @PrimaryColumn({ type: 'uuid' })
  a!: string;

  @PrimaryColumn({ type: 'uuid' })
  b!: string;

  @Column({ type: 'int' })
  partition!: number;

  @Column({ type: 'double precision' })
  probability!: number;

  @Column({ type: 'jsonb' })
  comparisons!: Record<string, unknown>[];
}

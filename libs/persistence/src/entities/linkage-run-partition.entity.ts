import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One scored partition of a batch re-link: which worker process scored it, how many pairs, how long. */
@Entity({ name: 'linkage_run_partition' })
export class LinkageRunPartitionEntity {
  @PrimaryColumn({ name: 'run_id', type: 'uuid' })
  runId!: string;

  @PrimaryColumn({ type: 'int' })
  partition!: number;

  /** `hostname/pid` of the worker process. */
  @Column({ type: 'text' })
  worker!: string;

  @Column({ type: 'int' })
  records!: number;

  @Column({ name: 'candidate_pairs', type: 'bigint' })
  candidatePairs!: string;

  @Column({ name: 'scored_pairs', type: 'bigint' })
  scoredPairs!: string;

  @Column({ type: 'double precision' })
  seconds!: number;

  @Column({ name: 'finished_at', type: 'timestamptz' })
  finishedAt!: Date;
}

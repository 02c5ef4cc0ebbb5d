import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * A version of the linkage model (trained m and u, blocking, thresholds). Proposed with a dry-run
 * re-link whose diff reviewers read; published by a re-link that applies it, in the same transaction;
 * the previous one is then retired. With none published, the file config/linkage/trained/default.json
 * applies. Versions are kept: a link names the version that scored it.
 */
@Entity({ name: 'linkage_model_version' })
@Index('linkage_model_version_published_idx', ['status'], { unique: true, where: `status = 'published'` })
export class LinkageModelVersionEntity {
  @PrimaryColumn({ type: 'text' })
  version!: string;

  @Column({ type: 'jsonb' })
  model!: Record<string, unknown>;

  @Column({ type: 'text' })
  status!: 'proposed' | 'published' | 'retired';

  /** The version it was derived from. */
  @Column({ name: 'based_on', type: 'text', nullable: true })
  basedOn!: string | null;

  @Column({ type: 'text' })
  reason!: string;

  @Column({ name: 'proposed_by', type: 'text' })
  proposedBy!: string;

  /** The dry run that measured it (linkage_run), then the run that published it. */
  @Column({ name: 'preview_run_id', type: 'uuid', nullable: true })
  previewRunId!: string | null;

  @Column({ name: 'publish_run_id', type: 'uuid', nullable: true })
  publishRunId!: string | null;

  @Column({ name: 'published_by', type: 'text', nullable: true })
  publishedBy!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'published_at', type: 'timestamptz', nullable: true })
  publishedAt!: Date | null;
}

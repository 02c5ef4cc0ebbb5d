import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/**
 * A published version of the lead-worker policy (admin API). The newest applies; with none, the file
 * config/coordination/lead-worker-policy.json does. Versions are kept: an offer's explanation names the
 * policy version it followed.
 */
@Entity({ name: 'lead_policy_version' })
export class LeadPolicyVersionEntity {
  @PrimaryColumn({ type: 'int' })
  version!: number;

  @Column({ type: 'jsonb' })
  policy!: Record<string, unknown>;

  /** `person:<id>` or `platform-admin:<email>`; who published it. */
  @Column({ name: 'published_by', type: 'text' })
  publishedBy!: string;

  @Column({ type: 'text' })
  reason!: string;

  @CreateDateColumn({ name: 'published_at', type: 'timestamptz' })
  publishedAt!: Date;
}

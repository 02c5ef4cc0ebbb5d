import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * One immutable version of a data-sharing agreement (the register is append-only: every change is a
 * new row). `content` is the whole version as the governance engine sees it; `status` and `parties`
 * are copied out so queries and the row-level policy (visible to party agencies) need not open it.
 */
@Entity({ name: 'agreement_version' })
@Index('agreement_version_status_idx', ['status'])
export class AgreementVersionEntity {
  @PrimaryColumn({ type: 'text' })
  id!: string;

  @PrimaryColumn({ type: 'int' })
  version!: number;

  @Column({ type: 'text' })
  status!: string;

  @Column({ type: 'text', array: true })
  parties!: string[];

  @Column({ type: 'jsonb' })
  content!: Record<string, unknown>;

  /** Person id of whoever made this version (`system` for expiry). */
  @Column({ type: 'text' })
  author!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/**
 * What a link's score was made of: each comparison's level, label and weight. A place's links share a
 * few thousand of these (half a million links at a million records), so each is stored once, named by
 * the MD5 of its JSON text as written, and links refer to it. Levels and weights only, no personal data.
 */
@Entity({ name: 'linkage_explanation' })
export class LinkageExplanationEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  /** [{ name, level, label, weight }] */
  @Column({ type: 'jsonb' })
  comparisons!: Record<string, unknown>[];

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

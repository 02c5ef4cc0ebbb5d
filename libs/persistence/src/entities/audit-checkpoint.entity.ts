import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * A signed statement of the audit chain's head: "event `seq` had hash `hash` at `at`", as a compact JWS
 * (ES256) by a broker signing key. Anyone holding the broker's public keys can check an exported chain
 * against it, so rebuilding the chain after the fact is detected. Append-only, like the chain itself.
 */
@Entity({ name: 'audit_checkpoint' })
@Index('audit_checkpoint_seq_idx', ['seq'])
export class AuditCheckpointEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'bigint' })
  seq!: string;

  @Column({ type: 'text' })
  hash!: string;

  @Column({ type: 'timestamptz' })
  at!: Date;

  /** The broker signing key that signed it. */
  @Column({ type: 'text' })
  kid!: string;

  @Column({ type: 'text' })
  jws!: string;
}

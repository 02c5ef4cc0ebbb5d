import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/**
 * The broker's own signing keys. One is `active` (signs); `verify-only` keys still verify tokens they
 * signed until retired. Private keys are stored as JWK in the database (see the auth note in README).
 */
@Entity({ name: 'broker_signing_key' })
export class BrokerSigningKeyEntity {
  @PrimaryColumn({ type: 'text' })
  kid!: string;

  @Column({ type: 'text' })
  alg!: string;

  @Column({ name: 'public_jwk', type: 'jsonb' })
  publicJwk!: Record<string, unknown>;

  @Column({ name: 'private_jwk', type: 'jsonb' })
  privateJwk!: Record<string, unknown>;

  @Column({ type: 'text' })
  status!: 'active' | 'verify-only' | 'retired';

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'retired_at', type: 'timestamptz', nullable: true })
  retiredAt!: Date | null;
}

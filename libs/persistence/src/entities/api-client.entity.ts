import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** An agency system allowed to call the API: authenticates with private_key_jwt against its own keys. */
@Entity({ name: 'api_client' })
export class ApiClientEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  /** The OAuth client id (`iss` and `sub` of its assertions). */
  @Index('api_client_client_id_uq', { unique: true })
  @Column({ name: 'client_id', type: 'text' })
  clientId!: string;

  @Column({ name: 'agency_id', type: 'text' })
  agencyId!: string;

  @Column({ type: 'text' })
  name!: string;

  /** Inline public JWK set, or null when `jwksUri` is used. */
  @Column({ type: 'jsonb', nullable: true })
  jwks!: { keys: Record<string, unknown>[] } | null;

  @Column({ name: 'jwks_uri', type: 'text', nullable: true })
  jwksUri!: string | null;

  @Column({ type: 'text', array: true })
  scopes!: string[];

  @Column({ type: 'boolean', default: true })
  enabled!: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

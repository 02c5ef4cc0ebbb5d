import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/**
 * An agency's `Idempotency-Key`: a retried request with the same key and body replays the stored
 * answer; the same key with another body is refused.
 */
@Entity({ name: 'intake_request' })
export class IntakeRequestEntity {
  @PrimaryColumn({ name: 'agency_id', type: 'text' })
  agencyId!: string;

  @PrimaryColumn({ name: 'idempotency_key', type: 'text' })
  idempotencyKey!: string;

  /** sha256 of method, path and body. */
  @Column({ name: 'request_hash', type: 'text' })
  requestHash!: string;

  @Column({ name: 'status_code', type: 'int' })
  statusCode!: number;

  /** The answer (results of bulk lines that were not plainly accepted, and the counts). */
  @Column({ type: 'jsonb' })
  response!: unknown;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

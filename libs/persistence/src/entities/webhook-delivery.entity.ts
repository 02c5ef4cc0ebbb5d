import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * One notification to one webhook endpoint. Its id is the Standard Webhooks `webhook-id` (as `msg_<hex>`),
 * the same on every retry, so receivers drop duplicates; its status is the idempotency key of delivery.
 */
@Entity({ name: 'webhook_delivery' })
@Index('webhook_delivery_notification_endpoint_uq', ['notificationId', 'endpointId'], { unique: true })
@Index('webhook_delivery_dead_idx', ['createdAt'], { where: `status = 'dead'` })
export class WebhookDeliveryEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'notification_id', type: 'uuid' })
  notificationId!: string;

  @Column({ name: 'endpoint_id', type: 'uuid' })
  endpointId!: string;

  @Column({ name: 'agency_id', type: 'text' })
  agencyId!: string;

  /** pending, delivered, dead (after the last attempt, or refused), suppressed (consent withdrawn). */
  @Column({ type: 'text', default: 'pending' })
  status!: 'pending' | 'delivered' | 'dead' | 'suppressed';

  @Column({ type: 'int', default: 0 })
  attempts!: number;

  @Column({ name: 'next_attempt_at', type: 'timestamptz', nullable: true })
  nextAttemptAt!: Date | null;

  @Column({ name: 'last_status', type: 'int', nullable: true })
  lastStatus!: number | null;

  /** Why the last attempt failed; never personal data. */
  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError!: string | null;

  @Column({ name: 'dead_reason', type: 'text', nullable: true })
  deadReason!: string | null;

  @Column({ name: 'delivered_at', type: 'timestamptz', nullable: true })
  deliveredAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

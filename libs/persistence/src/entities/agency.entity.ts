import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import type { Sector } from '@joinedup/core';

/** An organisation that holds records and signs agreements. Registry data, visible to every agency. */
@Entity({ name: 'agency' })
export class AgencyEntity {
  /** Slug, e.g. `northmoor-csc`. */
  @PrimaryColumn({ type: 'text' })
  id!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text' })
  sector!: Sector;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

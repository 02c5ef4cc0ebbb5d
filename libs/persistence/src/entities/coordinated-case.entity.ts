import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/**
 * One coordinated case per family known to two or more agencies that may coordinate. Ids and codes
 * only: who the family members are stays in the linkage tables and the agencies' records.
 */
@Entity({ name: 'coordinated_case' })
@Index('coordinated_case_open_family_uq', ['familyId'], { unique: true, where: `status = 'open'` })
// A worker's caseload (open cases they lead) is counted for every lead choice.
@Index('coordinated_case_open_lead_idx', ['leadWorkerId'], { where: `status = 'open'` })
// GIN on member_ids (continuity: open cases led for any of these persons), created by hand in
// IndexCaseLeadsAndMembers; synchronize: false keeps the generator off it.
@Index('coordinated_case_members_gin', { synchronize: false })
export class CoordinatedCaseEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'family_id', type: 'uuid' })
  familyId!: string;

  @Column({ type: 'text', default: 'open' })
  status!: 'open' | 'closed';

  /** Linked person ids of the family when the case last changed. */
  @Column({ name: 'member_ids', type: 'uuid', array: true })
  memberIds!: string[];

  @Column({ type: 'text', array: true })
  agencies!: string[];

  /** Registry person ids of the workers involved. */
  @Column({ name: 'worker_ids', type: 'uuid', array: true })
  workerIds!: string[];

  /** Need codes (config/needs.json). */
  @Column({ type: 'text', array: true })
  needs!: string[];

  @Column({ name: 'lead_worker_id', type: 'uuid', nullable: true })
  leadWorkerId!: string | null;

  /** The lead-worker policy's answer when offers last started: candidates, passed over, why. */
  @Column({ name: 'lead_choice', type: 'jsonb', nullable: true })
  leadChoice!: Record<string, unknown> | null;

  @CreateDateColumn({ name: 'opened_at', type: 'timestamptz' })
  openedAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;

  @Column({ name: 'closed_at', type: 'timestamptz', nullable: true })
  closedAt!: Date | null;
}

import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/** A person: a cluster of source records. The id is stable (see assignStableIds); merged ids stay, pointing on. */
@Entity({ name: 'linked_person' })
@Index('linked_person_family_idx', ['familyId'])
export class LinkedPersonEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ name: 'family_id', type: 'uuid', nullable: true })
  familyId!: string | null;

  @Column({ type: 'text', default: 'active' })
  status!: 'active' | 'merged' | 'empty';

  @Column({ name: 'merged_into', type: 'uuid', nullable: true })
  mergedInto!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** A family: persons tied by an agency household reference or a shared property. Stable id, like persons. */
@Entity({ name: 'family' })
export class FamilyEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'text', default: 'active' })
  status!: 'active' | 'merged' | 'empty';

  @Column({ name: 'merged_into', type: 'uuid', nullable: true })
  mergedInto!: string | null;

  /** Why its persons belong together, in plain words. */
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  reasons!: string[];

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

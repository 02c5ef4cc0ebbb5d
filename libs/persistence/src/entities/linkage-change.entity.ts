import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** What linkage changed: persons and families created, merged, split or emptied (ids only). */
@Entity({ name: 'linkage_change' })
export class LinkageChangeEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint' })
  seq!: string;

  @Column({ type: 'text' })
  kind!: 'person.merged' | 'person.split' | 'person.created' | 'family.merged' | 'family.split' | 'family.created';

  @Column({ type: 'uuid', array: true })
  ids!: string[];

  @Column({ type: 'jsonb', default: () => "'{}'" })
  details!: Record<string, unknown>;

  @CreateDateColumn({ name: 'at', type: 'timestamptz' })
  at!: Date;
}

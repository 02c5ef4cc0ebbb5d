import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** A caseworker, team manager, IG officer or agency admin of one agency. */
@Entity({ name: 'person' })
@Index('person_agency_ref_uq', ['agencyId', 'staffRef'], { unique: true })
export class PersonEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'agency_id', type: 'text' })
  agencyId!: string;

  /** The agency's own staff reference (what records carry in `involvement.worker`). */
  @Column({ name: 'staff_ref', type: 'text' })
  staffRef!: string;

  @Index('person_email_uq', { unique: true })
  @Column({ type: 'text' })
  email!: string;

  @Column({ name: 'display_name', type: 'text' })
  displayName!: string;

  @Column({ type: 'text', array: true })
  roles!: string[];

  @Column({ type: 'text', nullable: true })
  team!: string | null;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  skills!: string[];

  @Column({ name: 'lead_capacity', type: 'int', default: 0 })
  leadCapacity!: number;

  /** scrypt, `scrypt$N$r$p$salt$hash`; null: the person signs in only through the agency system. */
  @Column({ name: 'password_hash', type: 'text', nullable: true })
  passwordHash!: string | null;

  @Column({ type: 'boolean', default: true })
  active!: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

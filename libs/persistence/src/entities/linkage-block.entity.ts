import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * How many indexed records carry each blocking key, kept with every index change, so linking a record
 * learns in one primary-key lookup which of its blocks are over their rule's cap (and skipped, as in batch).
 */
@Entity({ name: 'linkage_block' })
export class LinkageBlockEntity {
  /** The key's hash, as in linkage_record.blocking_keys. */
  @PrimaryColumn({ type: 'bigint' })
  key!: string;

  @Column({ type: 'int' })
  size!: number;
}

import { Entity, PrimaryColumn } from 'typeorm';

/**
 * The persistent blocking index proper: one row per blocking key of each indexed record, so a new record
 * finds the records sharing a key by the primary key (a btree: cheaper to build and to keep than a GIN
 * index on the records' key arrays). Kept with every index change; rebuilt by a batch.
 */
@Entity({ name: 'linkage_block_member' })
export class LinkageBlockMemberEntity {
  /** The key's hash, as in linkage_record.blocking_keys. */
  @PrimaryColumn({ type: 'bigint', primaryKeyConstraintName: 'linkage_block_member_pkey' })
  key!: string;

  @PrimaryColumn({ name: 'source_record_id', type: 'uuid', primaryKeyConstraintName: 'linkage_block_member_pkey' })
  sourceRecordId!: string;
}

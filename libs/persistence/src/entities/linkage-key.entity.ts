import { Entity, PrimaryColumn } from 'typeorm';

/**
 * The blocking index proper: one row per blocking key of each indexed record, kept by triggers on
 * linkage_record (its `blocking_keys` unnested). A B-tree on (key, record) finds a key's records, and
 * counting them up to a rule's cap says whether the block is over it; it is built by sorting in a few
 * seconds where a GIN index over the same 12 million keys took half a minute, inserted key by key.
 */
@Entity({ name: 'linkage_key' })
export class LinkageKeyEntity {
  /** The key's hash, as in linkage_record.blocking_keys. */
  @PrimaryColumn({ type: 'bigint', primaryKeyConstraintName: 'linkage_key_pkey' })
  key!: string;

  @PrimaryColumn({ name: 'source_record_id', type: 'uuid', primaryKeyConstraintName: 'linkage_key_pkey' })
  sourceRecordId!: string;
}

import { Entity, PrimaryColumn } from 'typeorm';

/**
 * Who holds each family key (household reference, UPRN), kept by the triggers on linkage_record that
 * keep linkage_key: a B-tree sorts 2 million of them in seconds where a GIN index took 14 s. Hashed as
 * blocking keys are; a lookup checks the index row's text too.
 */
@Entity({ name: 'linkage_family_key' })
export class LinkageFamilyKeyEntity {
  /** `hashtextextended(key, 0)` of a key in linkage_record.family_keys. */
  @PrimaryColumn({ type: 'bigint', primaryKeyConstraintName: 'linkage_family_key_pkey' })
  key!: string;

  @PrimaryColumn({ name: 'source_record_id', type: 'uuid', primaryKeyConstraintName: 'linkage_family_key_pkey' })
  sourceRecordId!: string;
}

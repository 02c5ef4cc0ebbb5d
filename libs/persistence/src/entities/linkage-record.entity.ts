import { Column, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/**
 * The persistent blocking index's rows: one per live source record, with its precomputed comparison
 * features, blocking keys and family keys (each key also a row of linkage_key or linkage_family_key,
 * kept by triggers), so a new record is compared only with records that share a key. Features are
 * derived personal data: this table is read in the system scope only.
 */
@Entity({ name: 'linkage_record' })
@Index('linkage_record_person_idx', ['personId'])
export class LinkageRecordEntity {
  @PrimaryColumn({ name: 'source_record_id', type: 'uuid' })
  sourceRecordId!: string;

  @Column({ name: 'agency_id', type: 'text' })
  agencyId!: string;

  @Column({ name: 'person_id', type: 'uuid', nullable: true })
  personId!: string | null;

  /**
   * The engine's Prepared features, computed once per record version, as StoredFeatures (a positional
   * array, a third of the named form). `json`, not `jsonb`: stored and returned as the text written,
   * with no conversion either way; nothing queries inside it but the reference at position 0.
   */
  @Column({ type: 'json' })
  features!: unknown[];

  /**
   * 64-bit hashes of the blocking keys (`hashtextextended(key, 0)`): indexes build and search integers
   * twice as fast as the keys' text, and the keys (names, dates, NHS numbers) are not stored in clear.
   */
  @Column({ name: 'blocking_keys', type: 'bigint', array: true })
  blockingKeys!: string[];

  /** Household references and UPRN: what ties this record's person to a family (each also a row of linkage_family_key). */
  @Column({ name: 'family_keys', type: 'text', array: true })
  familyKeys!: string[];

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

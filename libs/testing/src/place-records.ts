import type { DataSource } from 'typeorm';
import { contentHash } from '@joinedup/core';
import { SourceRecordRepository } from '@joinedup/persistence';
import { generatePlace, type PlaceRecord } from '@joinedup/place';

export interface PlacedRecords {
  /** Source record ids, in the order the place generated them (grouped by agency). */
  ids: string[];
  /** Source record id -> the synthetic person it is about. */
  truthOf: Map<string, string>;
}

/** A synthetic place's records written through the intake repository, one batch per agency. */
export async function loadPlaceRecords(dataSource: DataSource, seed: number, count: number): Promise<PlacedRecords> {
  const byAgency = new Map<string, PlaceRecord[]>();
  for (const item of generatePlace({ seed, records: count }))
    byAgency.set(item.record.agency, [...(byAgency.get(item.record.agency) ?? []), item]);
  const repo = new SourceRecordRepository(dataSource);
  const ids: string[] = [];
  const truthOf = new Map<string, string>();
  for (const [agency, items] of byAgency) {
    const outcomes = await repo.upsertBatch(
      agency,
      items.map(({ record }) => ({
        externalId: record.externalId,
        version: record.version,
        contentHash: contentHash(record),
        record,
        invalidFields: [],
      })),
      `load-${agency}`,
    );
    outcomes.forEach((o, i) => {
      ids.push(o.recordId!);
      truthOf.set(o.recordId!, items[i]!.truth.personId);
    });
  }
  return { ids, truthOf };
}

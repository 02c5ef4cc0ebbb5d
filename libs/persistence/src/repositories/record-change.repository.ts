import type { DataSource } from 'typeorm';
import type { RecordChangeKind } from '../entities/record-change.entity.js';
import { withAgencyScope } from '../scope.js';

export interface RecordChange {
  seq: string;
  recordId: string;
  externalId: string;
  kind: RecordChangeKind;
  version: number | null;
  details: Record<string, unknown>;
  at: Date;
}

/** The change feed of one agency, paged by an opaque increasing cursor. */
export class RecordChangeRepository {
  constructor(private readonly dataSource: DataSource) {}

  async page(agencyId: string, afterSeq: string | undefined, limit: number): Promise<RecordChange[]> {
    return withAgencyScope(this.dataSource, agencyId, async (manager) => {
      const rows: Record<string, unknown>[] = await manager.query(
        `SELECT seq, record_id, external_id, kind, version, details, at FROM record_change
         WHERE agency_id = $1 AND seq > $2::bigint ORDER BY seq LIMIT $3`,
        [agencyId, afterSeq ?? '0', limit],
      );
      return rows.map((row) => ({
        seq: String(row.seq),
        recordId: row.record_id as string,
        externalId: row.external_id as string,
        kind: row.kind as RecordChangeKind,
        version: row.version as number | null,
        details: row.details as Record<string, unknown>,
        at: row.at as Date,
      }));
    });
  }
}

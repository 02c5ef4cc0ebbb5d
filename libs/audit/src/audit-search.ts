import { AUDIT_EVENT_COLUMNS, eventFromRow, type AuditEventRow } from './audit-event-row.js';
import type { Queryable } from './audit-store.js';
import type { ChainedAuditEvent } from './hash-chain.js';

/** Every field narrows; none given means every event. `agencyId` is the scope an IG officer is held to. */
export interface AuditSearch {
  subject?: string;
  agencyId?: string;
  purpose?: string;
  type?: string;
  /** Inclusive. */
  from?: Date;
  /** Exclusive. */
  to?: Date;
  /** The seq of the last event of the previous page: this page starts just below it. */
  beforeSeq?: number;
  limit: number;
}

export interface AuditPage {
  events: ChainedAuditEvent[];
  /** Pass as `beforeSeq` for the next (older) page; null on the last page. */
  nextCursor: number | null;
}

/**
 * Newest first, paged by keyset on seq, so a page is stable while events are appended above it.
 * Filters are bound parameters, never spliced into the text.
 */
export async function searchEvents(db: Queryable, search: AuditSearch): Promise<AuditPage> {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (sql: (p: string) => string, value: unknown): void => {
    params.push(value);
    where.push(sql(`$${params.length}`));
  };
  if (search.subject !== undefined) add((p) => `subjects @> ARRAY[${p}::text]`, search.subject);
  if (search.agencyId !== undefined) add((p) => `agency_id = ${p}`, search.agencyId);
  if (search.purpose !== undefined) add((p) => `purpose = ${p}`, search.purpose);
  if (search.type !== undefined) add((p) => `type = ${p}`, search.type);
  if (search.from !== undefined) add((p) => `at >= ${p}`, search.from);
  if (search.to !== undefined) add((p) => `at < ${p}`, search.to);
  if (search.beforeSeq !== undefined) add((p) => `seq < ${p}::bigint`, search.beforeSeq);
  params.push(search.limit + 1);
  const rows: AuditEventRow[] = await db.query(
    `SELECT ${AUDIT_EVENT_COLUMNS} FROM audit_event ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
     ORDER BY seq DESC LIMIT $${params.length}`,
    params,
  );
  const events = rows.slice(0, search.limit).map(eventFromRow);
  return { events, nextCursor: rows.length > search.limit ? events.at(-1)!.seq : null };
}

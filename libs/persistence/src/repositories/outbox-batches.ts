import type { EntityManager } from 'typeorm';
import { preparedRows } from '../scope.js';

/** Items named by one outbox row, so one job for the next stage, at most. */
export const OUTBOX_BATCH = 100;

/**
 * Announces a transaction's changes on the outbox a batch at a time: one row per OUTBOX_BATCH items,
 * listed in order under `list` as `{ [idKey]: id, correlationId }`, with `fields` beside them and the
 * row's own `correlationId` that of its first item. A job costs the relay and BullMQ the same whatever
 * it carries, so a group of changes is one job, not one job each.
 */
export async function announceInBatches(
  m: EntityManager,
  topic: string,
  agencyId: string | null,
  names: { list: string; id: string },
  items: readonly { id: string; correlationId: string }[],
  fields: Record<string, string> = {},
): Promise<void> {
  if (items.length === 0) return;
  await preparedRows(
    m,
    `INSERT INTO outbox_event (topic, agency_id, payload)
     SELECT $1, $2, $3::jsonb || jsonb_build_object('correlationId', (array_agg(x.c ORDER BY x.n))[1],
              $4::text, jsonb_agg(jsonb_build_object($5::text, x.id, 'correlationId', x.c) ORDER BY x.n))
     FROM unnest($6::text[], $7::text[]) WITH ORDINALITY AS x(id, c, n)
     GROUP BY (x.n - 1) / $8`,
    [
      topic,
      agencyId,
      JSON.stringify(fields),
      names.list,
      names.id,
      items.map((i) => i.id),
      items.map((i) => i.correlationId),
      OUTBOX_BATCH,
    ],
  );
}

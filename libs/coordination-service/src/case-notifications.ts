import type { EntityManager } from 'typeorm';
import { OUTBOX_BATCH } from '@joinedup/persistence';
import type { CaseGovernance } from './case-governance.js';

/** What a notification discloses, re-checked when it is sent (a withdrawal in between suppresses it). */
export interface Disclosure {
  fromAgency: string;
  subjects: string[];
  categories: string[];
}

export interface NotificationDraft {
  agency: string;
  /** The worker's registry person id; null for the agency as a whole (its system routes it). */
  personId: string | null;
  caseId: string;
  type: string;
  payload: Record<string, unknown>;
  disclosures: Disclosure[];
}

export interface CaseFacts {
  caseId: string;
  agencies: string[];
  lead: { workerId: string; agency: string; name: string } | null;
}

/**
 * A notification for one recipient agency, cut to what governance lets that agency see: the case's
 * other agencies only where each may tell it of its involvement, and the lead only if the lead's agency
 * may. Ids, agency names and plain reasons; never a client's personal data.
 */
export function draftFor(
  recipient: { agency: string; personId: string | null },
  type: string,
  facts: CaseFacts,
  governance: CaseGovernance,
  subjects: ReadonlyMap<string, readonly string[]>,
  extra: Record<string, unknown> = {},
  at = new Date(),
): NotificationDraft {
  const visible = facts.agencies.filter((a) => governance.may(a, recipient.agency));
  const lead = facts.lead && visible.includes(facts.lead.agency) ? facts.lead : null;
  return {
    agency: recipient.agency,
    personId: recipient.personId,
    caseId: facts.caseId,
    type,
    payload: {
      caseId: facts.caseId,
      event: type,
      at: at.toISOString(),
      recipient: { agency: recipient.agency, workerId: recipient.personId },
      agencies: visible,
      lead,
      ...extra,
    },
    disclosures: visible
      .filter((a) => a !== recipient.agency)
      .map((a) => ({ fromAgency: a, subjects: [...(subjects.get(a) ?? [])], categories: ['involvement'] })),
  };
}

/**
 * Writes notifications and their outbox rows in the caller's transaction: the case change and what it
 * tells people commit together or not at all. One statement for any number of them.
 */
export async function writeNotifications(
  m: EntityManager,
  drafts: readonly NotificationDraft[],
  correlationId: string,
): Promise<number> {
  return writeNotificationGroups(m, [{ drafts, correlationId }]);
}

/**
 * Several changes' notifications in one statement (a coordination group writes its families'
 * notifications together). They share outbox rows of up to OUTBOX_BATCH, so one delivery job fans them out, not
 * one job each; each is named with the correlation id of the change that made it.
 */
export async function writeNotificationGroups(
  m: EntityManager,
  groups: readonly { drafts: readonly NotificationDraft[]; correlationId: string }[],
): Promise<number> {
  const rows = groups.flatMap(({ drafts, correlationId }) =>
    drafts.map((d) => ({
      agency_id: d.agency,
      person_id: d.personId,
      case_id: d.caseId,
      type: d.type,
      payload: d.payload,
      disclosures: d.disclosures,
      correlation_id: correlationId,
    })),
  );
  if (rows.length === 0) return 0;
  await m.query(
    `WITH x AS MATERIALIZED (
       SELECT gen_random_uuid() AS id, r.* FROM jsonb_to_recordset($1::jsonb) AS r(agency_id text, person_id uuid,
         case_id uuid, type text, payload jsonb, disclosures jsonb, correlation_id text)),
     n AS (
       INSERT INTO notification (id, agency_id, person_id, case_id, type, payload, disclosures)
       SELECT id, agency_id, person_id, case_id, type, payload, disclosures FROM x)
     INSERT INTO outbox_event (topic, agency_id, payload)
     SELECT 'notification.created', NULL, jsonb_build_object(
              'correlationId', (array_agg(correlation_id ORDER BY n))[1],
              'notifications', jsonb_agg(jsonb_build_object('notificationId', id::text, 'correlationId', correlation_id) ORDER BY n))
     FROM (SELECT x.*, row_number() OVER () AS n FROM x) numbered
     GROUP BY (n - 1) / $2`,
    [JSON.stringify(rows), OUTBOX_BATCH],
  );
  return rows.length;
}

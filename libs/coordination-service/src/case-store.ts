import type { EntityManager } from 'typeorm';
import type { CaseContents, CurrentCase, Offer, OfferTarget } from '@joinedup/coordination';

/** Rows of the case tables, as the engine's types. SQL only; the decisions are in CoordinationService. */

interface CaseRow {
  id: string;
  family_id: string;
  status: 'open' | 'closed';
  member_ids: string[];
  agencies: string[];
  worker_ids: string[];
  needs: string[];
  lead_worker_id: string | null;
}

interface OfferRow {
  id: string;
  case_id: string;
  target_kind: OfferTarget['kind'];
  worker_id: string | null;
  agency_id: string;
  team: string;
  explanation: string;
  status: Offer['status'];
  offered_at: Date;
  deadline: Date;
  decided_at: Date | null;
  lead_worker_id: string | null;
  reason: string | null;
  handed_over_to: string | null;
  handed_over_from: string | null;
}

/** A case opened in this transaction and not yet written (see insertCases). */
export interface FreshCase {
  caseId: string;
  contents: CaseContents;
  leadWorkerId?: string;
  leadChoice?: unknown;
}

const OFFER_COLUMN_TYPES = {
  id: 'uuid',
  case_id: 'uuid',
  target_kind: 'text',
  worker_id: 'uuid',
  agency_id: 'text',
  team: 'text',
  explanation: 'text',
  status: 'text',
  offered_at: 'timestamptz',
  deadline: 'timestamptz',
  decided_at: 'timestamptz',
  lead_worker_id: 'uuid',
  reason: 'text',
  handed_over_to: 'uuid',
  handed_over_from: 'uuid',
} as const;
type OfferColumn = keyof typeof OFFER_COLUMN_TYPES;
const OFFER_COLUMNS = Object.keys(OFFER_COLUMN_TYPES) as OfferColumn[];

function offerRow(o: Offer): Record<OfferColumn, string | null> {
  const t = o.target;
  return {
    id: o.offerId,
    case_id: o.caseId,
    target_kind: t.kind,
    worker_id: t.kind === 'worker' ? t.workerId : null,
    agency_id: t.agency,
    team: t.team,
    explanation: o.explanation,
    status: o.status,
    offered_at: o.offeredAt,
    deadline: o.deadline,
    decided_at: o.decidedAt ?? null,
    lead_worker_id: o.leadWorkerId ?? null,
    reason: o.reason ?? null,
    handed_over_to: o.handedOverTo ?? null,
    handed_over_from: o.handedOverFrom ?? null,
  };
}

const toCase = (r: CaseRow): CurrentCase => ({
  caseId: r.id,
  familyId: r.family_id,
  status: r.status,
  memberIds: r.member_ids,
  agencies: r.agencies,
  workerIds: r.worker_ids,
  needs: r.needs,
  ...(r.lead_worker_id ? { leadWorkerId: r.lead_worker_id } : {}),
});

export function toOffer(r: OfferRow): Offer {
  const target: OfferTarget =
    r.target_kind === 'worker'
      ? { kind: 'worker', workerId: r.worker_id!, agency: r.agency_id, team: r.team }
      : { kind: r.target_kind, agency: r.agency_id, team: r.team };
  return {
    offerId: r.id,
    caseId: r.case_id,
    target,
    explanation: r.explanation,
    status: r.status,
    offeredAt: r.offered_at.toISOString(),
    deadline: r.deadline.toISOString(),
    ...(r.decided_at ? { decidedAt: r.decided_at.toISOString() } : {}),
    ...(r.lead_worker_id ? { leadWorkerId: r.lead_worker_id } : {}),
    ...(r.reason ? { reason: r.reason } : {}),
    ...(r.handed_over_to ? { handedOverTo: r.handed_over_to } : {}),
    ...(r.handed_over_from ? { handedOverFrom: r.handed_over_from } : {}),
  };
}

/** One entry of a case's history. */
export interface CaseEventRow {
  caseId: string;
  kind: string;
  reasons: string[];
  details: Record<string, unknown>;
  actor: string;
}

export class CaseStore {
  /** Serialises every change to one family's case (family.changed, offer answers, deadlines). */
  async lockFamily(m: EntityManager, familyId: string): Promise<void> {
    await m.query(`SELECT pg_advisory_xact_lock(hashtext('joinedup.case'), hashtext($1))`, [familyId]);
  }

  /** Several families' locks in one statement, in id order (every group takes them in that order). */
  async lockFamilies(m: EntityManager, familyIds: readonly string[]): Promise<void> {
    // OFFSET 0 keeps the ordered subquery apart, so the locks are taken in its order.
    await m.query(
      `SELECT pg_advisory_xact_lock(hashtext('joinedup.case'), hashtext(f))
       FROM (SELECT f FROM unnest($1::text[]) AS f ORDER BY f OFFSET 0) AS ordered`,
      [[...familyIds].sort()],
    );
  }

  /** The open case of each of several families. */
  async openCasesOf(m: EntityManager, familyIds: readonly string[]): Promise<Map<string, CurrentCase>> {
    const rows = await m.query<CaseRow[]>(
      `SELECT * FROM coordinated_case WHERE family_id = ANY($1::uuid[]) AND status = 'open'`,
      [familyIds],
    );
    return new Map(rows.map((r) => [r.family_id, toCase(r)]));
  }

  async openCaseOf(m: EntityManager, familyId: string): Promise<CurrentCase | undefined> {
    const [row] = await m.query<CaseRow[]>(`SELECT * FROM coordinated_case WHERE family_id = $1 AND status = 'open'`, [
      familyId,
    ]);
    return row ? toCase(row) : undefined;
  }

  async byId(m: EntityManager, caseId: string): Promise<CurrentCase | undefined> {
    const [row] = await m.query<CaseRow[]>(`SELECT * FROM coordinated_case WHERE id = $1`, [caseId]);
    return row ? toCase(row) : undefined;
  }

  /**
   * A coordination group's new cases in one statement, with the ids the service gave them (so their offers,
   * history and notifications could refer to them before they were written) and any lead kept by continuity.
   */
  async insertCases(m: EntityManager, cases: readonly FreshCase[]): Promise<void> {
    if (cases.length === 0) return;
    await m.query(
      `INSERT INTO coordinated_case (id, family_id, member_ids, agencies, worker_ids, needs, lead_worker_id, lead_choice)
       SELECT x.id, x.family_id, ARRAY(SELECT jsonb_array_elements_text(x.member_ids))::uuid[],
              ARRAY(SELECT jsonb_array_elements_text(x.agencies)), ARRAY(SELECT jsonb_array_elements_text(x.worker_ids))::uuid[],
              ARRAY(SELECT jsonb_array_elements_text(x.needs)), x.lead_worker_id, x.lead_choice
       FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, family_id uuid, member_ids jsonb, agencies jsonb,
         worker_ids jsonb, needs jsonb, lead_worker_id uuid, lead_choice jsonb)`,
      [
        JSON.stringify(
          cases.map((c) => ({
            id: c.caseId,
            family_id: c.contents.familyId,
            member_ids: c.contents.memberIds,
            agencies: c.contents.agencies,
            worker_ids: c.contents.workerIds,
            needs: c.contents.needs,
            lead_worker_id: c.leadWorkerId ?? null,
            lead_choice: c.leadChoice ?? null,
          })),
        ),
      ],
    );
  }

  async updateContents(m: EntityManager, caseId: string, contents: CaseContents): Promise<void> {
    await m.query(
      `UPDATE coordinated_case SET member_ids = $2, agencies = $3, worker_ids = $4, needs = $5, updated_at = now()
       WHERE id = $1`,
      [caseId, contents.memberIds, contents.agencies, contents.workerIds, contents.needs],
    );
  }

  async setLead(m: EntityManager, caseId: string, workerId: string | null): Promise<void> {
    await m.query(`UPDATE coordinated_case SET lead_worker_id = $2, updated_at = now() WHERE id = $1`, [
      caseId,
      workerId,
    ]);
  }

  async setLeadChoice(m: EntityManager, caseId: string, choice: unknown): Promise<void> {
    await m.query(`UPDATE coordinated_case SET lead_choice = $2 WHERE id = $1`, [caseId, JSON.stringify(choice)]);
  }

  async close(m: EntityManager, caseId: string): Promise<void> {
    await m.query(
      `UPDATE coordinated_case SET status = 'closed', lead_worker_id = NULL, closed_at = now(), updated_at = now()
       WHERE id = $1`,
      [caseId],
    );
  }

  /** History entries of cases, in order (their ids keep the order within a transaction's one time). */
  async events(m: EntityManager, rows: readonly CaseEventRow[]): Promise<void> {
    if (rows.length === 0) return;
    await m.query(
      `INSERT INTO case_event (case_id, kind, reasons, details, actor)
       SELECT x.case_id, x.kind, ARRAY(SELECT jsonb_array_elements_text(x.reasons)), x.details, x.actor
       FROM ROWS FROM (jsonb_to_recordset($1::jsonb)
         AS (case_id uuid, kind text, reasons jsonb, details jsonb, actor text))
         WITH ORDINALITY AS x(case_id, kind, reasons, details, actor, n)
       ORDER BY x.n`,
      [
        JSON.stringify(
          rows.map((r) => ({
            case_id: r.caseId,
            kind: r.kind,
            reasons: r.reasons,
            details: r.details,
            actor: r.actor,
          })),
        ),
      ],
    );
  }

  /** Deadline timers of new offers, through the outbox with the change that made them. */
  async deadlines(m: EntityManager, timers: readonly { offer: Offer; correlationId: string }[]): Promise<void> {
    if (timers.length === 0) return;
    await m.query(
      `INSERT INTO outbox_event (topic, agency_id, payload)
       SELECT 'offer.deadline', x.agency, x.payload FROM unnest($1::text[], $2::jsonb[]) AS x(agency, payload)`,
      [
        timers.map((t) => t.offer.target.agency),
        timers.map((t) =>
          JSON.stringify({ offerId: t.offer.offerId, correlationId: t.correlationId, notBefore: t.offer.deadline }),
        ),
      ],
    );
  }

  async offers(m: EntityManager, caseId: string): Promise<Offer[]> {
    const rows = await m.query<OfferRow[]>(`SELECT * FROM lead_offer WHERE case_id = $1 ORDER BY offered_at, id`, [
      caseId,
    ]);
    return rows.map(toOffer);
  }

  async offerById(m: EntityManager, offerId: string): Promise<Offer | undefined> {
    const [row] = await m.query<OfferRow[]>(`SELECT * FROM lead_offer WHERE id = $1`, [offerId]);
    return row ? toOffer(row) : undefined;
  }

  async saveOffer(m: EntityManager, o: Offer): Promise<void> {
    const row = offerRow(o);
    await m.query(
      `INSERT INTO lead_offer (${OFFER_COLUMNS.join(', ')})
       VALUES (${OFFER_COLUMNS.map((_, i) => `$${i + 1}`).join(', ')})
       ON CONFLICT (id) DO UPDATE SET status = EXCLUDED.status, decided_at = EXCLUDED.decided_at,
         lead_worker_id = EXCLUDED.lead_worker_id, reason = EXCLUDED.reason, handed_over_to = EXCLUDED.handed_over_to`,
      OFFER_COLUMNS.map((c) => row[c]),
    );
  }

  /** The first offers of a group's new cases, in one statement (nothing else has seen them yet). */
  async insertOffers(m: EntityManager, offers: readonly Offer[]): Promise<void> {
    if (offers.length === 0) return;
    await m.query(
      `INSERT INTO lead_offer (${OFFER_COLUMNS.join(', ')})
       SELECT ${OFFER_COLUMNS.join(', ')} FROM jsonb_to_recordset($1::jsonb) AS x(${OFFER_COLUMNS.map(
         (c) => `${c} ${OFFER_COLUMN_TYPES[c]}`,
       ).join(', ')})`,
      [JSON.stringify(offers.map(offerRow))],
    );
  }

  /** Cases with a pending offer past its deadline (the deadline job's backstop). */
  async casesWithOverdueOffers(
    m: EntityManager,
    now: Date,
    limit = 100,
  ): Promise<{ caseId: string; familyId: string }[]> {
    return m.query(
      `SELECT DISTINCT c.id AS "caseId", c.family_id AS "familyId" FROM lead_offer o
       JOIN coordinated_case c ON c.id = o.case_id
       WHERE o.status = 'pending' AND o.deadline <= $1 LIMIT $2`,
      [now, limit],
    );
  }

  async openFamilies(m: EntityManager): Promise<string[]> {
    const rows = await m.query<{ family_id: string }[]>(`SELECT family_id FROM coordinated_case WHERE status = 'open'`);
    return rows.map((r) => r.family_id);
  }
}

import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { BrokerError, type CanonicalRecord } from '@joinedup/core';
import { CASE_PURPOSE, CoordinationService, loadFamily } from '@joinedup/coordination-service';
import { GovernanceDecider } from '@joinedup/enforcement';
import { categoriesOf, redactRecord } from '@joinedup/governance';
import { withSystemScope } from '@joinedup/persistence';
import { auditActorOf, AuditTrail } from '../audit/audit-trail.service.js';
import type { Principal } from '../auth/principal.js';

interface CaseRow {
  id: string;
  family_id: string;
  status: string;
  agencies: string[];
  worker_ids: string[];
  member_ids: string[];
  lead_worker_id: string | null;
  lead_choice: { mainNeed?: string; preferredAgency?: { why: string } } | null;
  opened_at: Date;
  closed_at: Date | null;
}

/** A fact the viewer may see, and why they may see it. */
interface Fact {
  agency: string;
  label: string;
  value: string;
  sharedUnder: string;
  decisionId?: string;
}

/**
 * The case as one viewer may see it: its own agency's involvement, and each other agency's facts only
 * where a case-coordination decision allows them to this viewer's agency now (each decision recorded,
 * each disclosure audited). A withdrawn consent makes the facts it allowed disappear on the next read.
 */
@Injectable()
export class CaseViewService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly decider: GovernanceDecider,
    private readonly audit: AuditTrail,
    private readonly coordination: CoordinationService,
  ) {}

  async list(p: Principal) {
    const viewer = this.viewer(p);
    const rows = await withSystemScope(this.dataSource, (m) =>
      m.query<CaseRow[]>(
        `SELECT * FROM coordinated_case WHERE $1::uuid = ANY(worker_ids) OR lead_worker_id = $1::uuid
           OR ($2::boolean AND $3 = ANY(agencies)) ORDER BY opened_at DESC LIMIT 200`,
        [viewer.personId, viewer.seesAgencyCases, viewer.agency],
      ),
    );
    return {
      items: rows.map((r) => ({
        id: r.id,
        status: r.status,
        openedAt: r.opened_at,
        isLead: r.lead_worker_id === viewer.personId,
      })),
    };
  }

  async view(p: Principal, caseId: string) {
    const viewer = this.viewer(p);
    const found = await withSystemScope(this.dataSource, async (m) => {
      const [row] = await m.query<CaseRow[]>(`SELECT * FROM coordinated_case WHERE id = $1`, [caseId]);
      if (!row) return null;
      const involved =
        row.worker_ids.includes(viewer.personId ?? '') ||
        row.lead_worker_id === viewer.personId ||
        (viewer.seesAgencyCases && row.agencies.includes(viewer.agency ?? ''));
      if (!involved) return null;
      const family = await loadFamily(m, row.family_id, 'duty');
      const records = family.records;
      const offers = await this.coordination.store.offers(m, caseId);
      const events = await m.query<{ kind: string; reasons: string[]; at: Date }[]>(
        `SELECT kind, reasons, at FROM case_event WHERE case_id = $1 ORDER BY at, id`,
        [caseId],
      );
      return { row, family, records, offers, events };
    });
    // Not yours and not there answer alike: a case's existence is itself shared information.
    if (!found) throw new BrokerError('NOT_FOUND', 'No such case for you', { caseId });
    const { row, family, records, offers, events } = found;
    const at = new Date();
    const visible = new Set<string>([viewer.agency ?? '']);
    const members = [];
    for (const person of family.snapshot.persons) {
      const facts: Fact[] = [];
      for (const r of records.filter((x) => x.person_id === person.personId)) {
        // Defence in depth (the route refuses platform admins): no agency, no family data.
        if (viewer.agency === null) continue;
        if (r.agency_id === viewer.agency) {
          facts.push(...factsOf(r.agency_id, r.record, 'your agency holds this record'));
          continue;
        }
        const subject = [`${r.agency_id}/${r.external_id}`, person.personId];
        const decision = await this.decider.decide(
          {
            purpose: CASE_PURPOSE,
            fromAgency: r.agency_id,
            toAgency: viewer.agency,
            subject,
            categories: categoriesOf(r.record),
            at,
          },
          { context: 'case view', actor: auditActorOf(p) },
        );
        if (decision.decision !== 'allow') continue;
        visible.add(r.agency_id);
        const { fields, withheld } = redactRecord(r.record, decision.categories);
        const why = `shared under agreement ${decision.agreement!.id} v${decision.agreement!.version} for case coordination${decision.consentRef ? ` (consent ${decision.consentRef})` : ''}`;
        facts.push(...factsOf(r.agency_id, fields, why).map((f) => ({ ...f, decisionId: decision.id })));
        await this.audit.record({
          type: 'data.disclosed',
          actor: auditActorOf(p),
          agencyId: r.agency_id,
          purpose: CASE_PURPOSE,
          subjects: subject,
          decision: 'allow',
          agreement: decision.agreement,
          details: {
            toAgency: viewer.agency,
            categories: decision.categories,
            withheld,
            decisionId: decision.id,
            caseId,
          },
        });
      }
      members.push({ personId: person.personId, role: person.role ?? null, facts });
    }
    const lead = row.lead_worker_id ? family.roster.get(row.lead_worker_id) : undefined;
    const accepted = offers.findLast((o) => o.status === 'accepted');
    const shownAgency = (agency: string) => viewer.agency === null || visible.has(agency);
    return {
      id: row.id,
      status: row.status,
      openedAt: row.opened_at,
      closedAt: row.closed_at,
      agencies: row.agencies.filter(shownAgency),
      lead:
        row.lead_worker_id && (!lead || shownAgency(lead.agency))
          ? {
              workerId: row.lead_worker_id,
              name: lead?.name ?? null,
              agency: lead?.agency ?? null,
              why: [accepted?.explanation, row.lead_choice?.preferredAgency?.why].filter((x): x is string => !!x),
            }
          : null,
      offers: offers
        .filter((o) => shownAgency(o.target.agency))
        .map((o) => ({
          id: o.offerId,
          target: o.target,
          status: o.status,
          explanation: o.explanation,
          deadline: o.deadline,
          reason: o.reason ?? null,
          mine: o.target.kind === 'worker' && o.target.workerId === viewer.personId,
        })),
      members: members.filter((m) => m.facts.length > 0),
      events: events.map((e) => ({ kind: e.kind, reasons: e.reasons, at: e.at })),
    };
  }

  private viewer(p: Principal) {
    const personId = p.kind === 'platform-admin' ? null : (p.personId ?? null);
    const agency = p.kind === 'platform-admin' ? null : p.agencyId;
    const seesAgencyCases = p.roles.some((r) => r === 'team-manager' || r === 'ig-officer' || r === 'platform-admin');
    return { personId, agency, seesAgencyCases };
  }
}

/** Plain labelled facts from the permitted fields of one record. */
function factsOf(agency: string, r: Partial<CanonicalRecord>, sharedUnder: string): Fact[] {
  const facts: Fact[] = [];
  const add = (label: string, value: string | undefined) => {
    if (value) facts.push({ agency, label, value, sharedUnder });
  };
  if (r.name) add('Name', [r.name.given, r.name.family].join(' '));
  add('Date of birth', r.birthDate);
  if (r.involvement)
    add(
      'Involvement',
      [
        r.involvement.status,
        r.involvement.team ? `team ${r.involvement.team}` : '',
        r.involvement.since ? `since ${r.involvement.since}` : '',
      ]
        .filter(Boolean)
        .join(', '),
    );
  if (r.needs?.length) add('Needs', r.needs.join(', '));
  if (r.household) add('Household role', r.household.role);
  return facts;
}

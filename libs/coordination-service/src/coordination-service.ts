import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { type AuditEventInput, AuditWriter } from '@joinedup/audit';
import { BrokerError } from '@joinedup/core';
import {
  acceptOffer,
  chooseLead,
  type CurrentCase,
  declineOffer,
  endLead,
  handOver,
  type LeadWorkerPolicy,
  parseLeadWorkerPolicy,
  validateLeadWorkerPolicy,
  nextOffer,
  type Offer,
  openInvolvements,
  planCase,
  type Recipient,
  sortedUnique,
  withdrawOffer,
} from '@joinedup/coordination';
import type { GovernanceEngine } from '@joinedup/governance';
import { withSystemScope } from '@joinedup/persistence';
import { type CaseEventRow, CaseStore, type FreshCase } from './case-store.js';
import { CASE_PURPOSE, type CaseGovernance, caseGovernance } from './case-governance.js';
import {
  type CaseFacts,
  draftFor,
  type NotificationDraft,
  writeNotificationGroups,
  writeNotifications,
} from './case-notifications.js';
import type { CoordinationSettings } from './coordination-config.js';
import {
  assembleFamily,
  type FamiliesRead,
  type LoadedFamily,
  loadFamily,
  type PeopleRead,
  readFamilies,
  readPeople,
} from './family-snapshot.js';

const SYSTEM = { kind: 'system' as const, id: 'coordination' };

/** Who answers an offer: a signed-in person of an agency. */
export interface OfferActor {
  personId: string;
  agency: string;
  roles: readonly string[];
}

export interface CoordinationOutcome {
  caseId?: string;
  plan: 'open' | 'update' | 'close' | 'none';
  notifications: number;
}

interface Work {
  m: EntityManager;
  loaded: LoadedFamily;
  governance: CaseGovernance;
  drafts: NotificationDraft[];
  /** Offers whose deadline needs a timer: written to the outbox with the change. */
  deadlines: Offer[];
  now: Date;
  actor: string;
  policy: LeadWorkerPolicy;
  /** Audit events of the change, recorded together in one statement at the end. */
  audits: AuditEventInput[];
  /** The case's history entries, likewise written at the end, in order. */
  events: CaseEventRow[];
  /** Cases opened by this change and their first offers, written at the end (see CaseStore.insertCases). */
  fresh: FreshCase[];
  freshOffers: Offer[];
  /** The change set or ended a lead, or changed an open case's members: what a group read of workers and leads no longer holds. */
  changedLeads: boolean;
}

/**
 * Coordinated cases on top of linkage and governance: one case per family known to two or more agencies
 * that may coordinate, one lead worker chosen by the configured policy and asked through offers, and
 * every change told to the workers involved through notifications written in the same transaction.
 * The decisions are the pure engine's (libs/coordination); this class reads, asks and stores.
 */
export class CoordinationService {
  readonly store = new CaseStore();
  private readonly audit = new AuditWriter();

  constructor(
    private readonly dataSource: DataSource,
    private readonly governance: { readonly engine: GovernanceEngine },
    private readonly settings: CoordinationSettings,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** A family's members, involvement or governance changed: open, update or close its case. */
  async coordinateFamily(familyId: string, correlationId: string): Promise<CoordinationOutcome> {
    return (await this.coordinateFamilies([{ familyId, correlationId }])).get(familyId)!;
  }

  /**
   * Several families in one transaction (the worker groups what arrived while the last group ran), one
   * commit for all. Every family's lock is taken first, in id order, so a group never holds the audit
   * chain while waiting for a family another change holds. Returns each family's outcome.
   */
  async coordinateFamilies(
    changes: readonly { familyId: string; correlationId: string }[],
  ): Promise<Map<string, CoordinationOutcome>> {
    const correlationOf = new Map<string, string>();
    for (const c of changes) if (!correlationOf.has(c.familyId)) correlationOf.set(c.familyId, c.correlationId);
    const families = [...correlationOf.keys()].sort();
    const outcomes = new Map<string, CoordinationOutcome>();
    const merged = await withSystemScope(this.dataSource, async (m) => {
      // What no family's planning changes is read once for the group: locks, policy, records, open cases.
      await this.store.lockFamilies(m, families);
      const policy = await this.policy(m);
      const read = await readFamilies(m, families);
      let people: PeopleRead | undefined = await readPeople(m, [...read.records.values()].flat());
      const cases = await this.store.openCasesOf(m, families);
      const next: { familyId: string; correlationId: string }[] = [];
      const audits: AuditEventInput[] = [];
      const notices: { drafts: NotificationDraft[]; correlationId: string }[] = [];
      const timers: { offer: Offer; correlationId: string }[] = [];
      const history: CaseEventRow[] = [];
      const fresh: FreshCase[] = [];
      const freshOffers: Offer[] = [];
      for (const familyId of families) {
        const correlationId = correlationOf.get(familyId)!;
        const work = await this.begin(m, familyId, 'system', { policy, read, people });
        const { plan, notifications, caseId } = await this.apply(work, cases.get(familyId));
        // Later families read their own workers and leads once one family changed them.
        if (work.changedLeads) people = undefined;
        fresh.push(...work.fresh);
        freshOffers.push(...work.freshOffers);
        outcomes.set(familyId, { plan, notifications, ...(caseId ? { caseId } : {}) });
        notices.push({ drafts: work.drafts, correlationId });
        for (const offer of work.deadlines) timers.push({ offer, correlationId });
        audits.push(...work.audits);
        history.push(...work.events);
        if (work.loaded.mergedInto) next.push({ familyId: work.loaded.mergedInto, correlationId });
      }
      // New cases and their offers, then every family's case history, notifications, deadline timers and
      // audit events: one statement each.
      await this.store.insertCases(m, fresh);
      await this.store.insertOffers(m, freshOffers);
      await this.store.events(m, history);
      await writeNotificationGroups(m, notices);
      await this.store.deadlines(m, timers);
      await this.audit.appendMany(m, audits);
      return next;
    });
    // A merged family's case closed above; the family it joined is coordinated in its own right.
    if (merged.length > 0) await this.coordinateFamilies(merged);
    return outcomes;
  }

  /** Accept or decline an offer. Two answers racing for one offer: the second gets CONFLICT. */
  async answerOffer(
    offerId: string,
    actor: OfferActor,
    answer: { accept: true; workerId?: string } | { accept: false; reason: string },
    correlationId: string,
  ): Promise<Offer> {
    return withSystemScope(this.dataSource, async (m) => {
      const found = await this.store.offerById(m, offerId);
      const kase = found ? await this.store.byId(m, found.caseId) : undefined;
      if (!found || !kase || !(await this.mayAnswer(m, found, actor)))
        throw new BrokerError('NOT_FOUND', 'No such offer for you', { offerId });
      await this.store.lockFamily(m, kase.familyId);
      const offer = (await this.store.offerById(m, offerId))!;
      const work = await this.begin(m, kase.familyId, `person:${actor.personId}`);
      if (answer.accept) {
        const leadId = offer.target.kind === 'worker' ? undefined : (answer.workerId ?? actor.personId);
        if (leadId !== undefined) await this.requireColleague(m, leadId, offer.target.agency);
        const accepted = acceptOffer(offer, work.now, offer.target.kind === 'worker' ? actor.personId : leadId);
        await this.store.saveOffer(m, accepted);
        await this.store.setLead(m, kase.caseId, accepted.leadWorkerId!);
        const leadCase: CurrentCase = { ...kase, leadWorkerId: accepted.leadWorkerId! };
        this.event(
          work,
          kase.caseId,
          'offer.accepted',
          [`${this.nameOf(work, accepted.leadWorkerId!)} accepted the lead`],
          { offerId },
        );
        this.tell(work, leadCase, this.members(work, leadCase), 'lead.assigned', { offerId });
        await this.finish(work, correlationId);
        return accepted;
      }
      const declined = declineOffer(offer, work.now, answer.reason);
      await this.store.saveOffer(m, declined);
      this.event(work, kase.caseId, 'offer.declined', [`the offer was declined: ${declined.reason!}`], { offerId });
      await this.advanceOffers(work, kase);
      await this.finish(work, correlationId);
      return declined;
    });
  }

  /**
   * The lead (or a team manager of the lead's agency) hands the case to another worker of an agency in the
   * case. Both offers stay in the history: the old one says to whom and why, the new one where it came from.
   */
  async handOverCase(
    caseId: string,
    actor: OfferActor,
    to: { workerId: string; reason: string },
    correlationId: string,
  ): Promise<Offer> {
    return withSystemScope(this.dataSource, async (m) => {
      const found = await this.store.byId(m, caseId);
      if (!found || found.status !== 'open') throw new BrokerError('NOT_FOUND', 'No such open case', { caseId });
      await this.store.lockFamily(m, found.familyId);
      const kase = (await this.store.byId(m, caseId))!;
      const current = (await this.store.offers(m, caseId)).findLast((o) => o.status === 'accepted');
      const managerOfLead = actor.roles.includes('team-manager') && current?.target.agency === actor.agency;
      if (!current || (current.leadWorkerId !== actor.personId && !managerOfLead))
        throw new BrokerError(
          'FORBIDDEN',
          'Only the lead or a team manager of the lead’s agency can hand the case over',
        );
      const [target] = await m.query<{ id: string; agency_id: string; team: string | null }[]>(
        `SELECT id, agency_id, team FROM person WHERE id = $1 AND active`,
        [to.workerId],
      );
      if (!target || !kase.agencies.includes(target.agency_id))
        throw new BrokerError('VALIDATION_FAILED', 'Hand over to an active worker of an agency in the case', [
          { field: 'workerId', reason: 'not an active worker of an agency in the case' },
        ]);
      const work = await this.begin(m, kase.familyId, `person:${actor.personId}`);
      const [previous, next] = handOver(current, work.now, {
        newOfferId: randomUUID(),
        to: { workerId: target.id, agency: target.agency_id, team: target.team ?? work.policy.dutyTeam },
        reason: to.reason,
      });
      await this.store.saveOffer(m, previous);
      await this.store.saveOffer(m, next);
      await this.store.setLead(m, caseId, target.id);
      this.event(work, caseId, 'handed-over', [`the lead was handed over: ${previous.reason!}`], {
        from: previous.offerId,
        to: next.offerId,
      });
      const led: CurrentCase = { ...kase, leadWorkerId: target.id };
      this.tell(work, led, this.members(work, led), 'lead.assigned', { handedOver: true });
      if (!kase.workerIds.includes(target.id))
        work.drafts.push(
          this.draft(work, led, { agency: target.agency_id, personId: target.id }, 'lead.assigned', {
            handedOver: true,
          }),
        );
      await this.finish(work, correlationId);
      return next;
    });
  }

  /** Expires offers past their deadline and moves each case on (the deadline job, and its backstop sweep). */
  async expireDueOffers(correlationId: string): Promise<number> {
    const due = await withSystemScope(this.dataSource, (m) => this.store.casesWithOverdueOffers(m, this.now()));
    for (const { caseId, familyId } of due)
      await withSystemScope(this.dataSource, async (m) => {
        await this.store.lockFamily(m, familyId);
        const kase = await this.store.byId(m, caseId);
        if (kase?.status !== 'open') return;
        const work = await this.begin(m, familyId, 'system');
        await this.advanceOffers(work, kase);
        await this.finish(work, correlationId);
      });
    return due.length;
  }

  /** Agreements or consent changed: every open case is planned again (and closes where it may no longer run). */
  async regovernOpenCases(correlationId: string): Promise<number> {
    const families = await withSystemScope(this.dataSource, (m) => this.store.openFamilies(m));
    let changed = 0;
    for (const familyId of families) {
      const outcome = await this.coordinateFamily(familyId, correlationId);
      if (outcome.plan !== 'none') changed++;
    }
    return changed;
  }

  /** A change's working state; `group` is what a coordination group read once for all its families. */
  private async begin(
    m: EntityManager,
    familyId: string,
    actor: string,
    group?: { policy: LeadWorkerPolicy; read: FamiliesRead; people: PeopleRead | undefined },
  ): Promise<Work> {
    const now = this.now();
    const policy = group?.policy ?? (await this.policy(m));
    const loaded = group
      ? await assembleFamily(m, familyId, group.read, policy.dutyTeam, group.people)
      : await loadFamily(m, familyId, policy.dutyTeam);
    const involved = sortedUnique(openInvolvements(loaded.snapshot).map(({ involvement }) => involvement.agency));
    const governance = caseGovernance(this.governance.engine, involved, loaded.subjects, now);
    return {
      m,
      loaded,
      governance,
      drafts: [],
      deadlines: [],
      now,
      actor,
      policy,
      audits: [],
      events: [],
      fresh: [],
      freshOffers: [],
      changedLeads: false,
    };
  }

  private async apply(work: Work, current: CurrentCase | undefined): Promise<CoordinationOutcome> {
    const { m } = work;
    const plan = planCase({ family: work.loaded.snapshot, current, governance: work.governance.answers });
    switch (plan.kind) {
      case 'none':
        return { plan: 'none', notifications: 0 };
      case 'open': {
        // Written with the group's other new cases at the end; nothing in this change reads it back.
        const caseId = randomUUID();
        const fresh: FreshCase = { caseId, contents: plan.contents };
        work.fresh.push(fresh);
        const kase: CurrentCase = { ...plan.contents, caseId, status: 'open' };
        this.event(work, caseId, 'opened', plan.reasons, { agencies: plan.contents.agencies });
        this.auditCase(work, 'case.opened', kase);
        this.tell(work, kase, plan.notify, 'case.opened', { reasons: plan.reasons });
        await this.advanceOffers(work, kase, [], fresh);
        return { caseId, plan: 'open', notifications: work.drafts.length };
      }
      case 'update': {
        work.changedLeads = true;
        await this.store.updateContents(m, plan.caseId, plan.contents);
        let kase: CurrentCase = { ...current!, ...plan.contents };
        this.event(work, plan.caseId, 'updated', plan.reasons, { changes: plan.changes });
        this.auditCase(work, 'case.updated', kase);
        if (plan.leadNeeded && current?.leadWorkerId) {
          await this.endLeadOf(work, kase, 'the lead is no longer involved with the family');
          kase = { ...kase, leadWorkerId: undefined };
        }
        this.tell(work, kase, plan.notify, 'case.updated', { reasons: plan.reasons });
        if (plan.leadNeeded) await this.advanceOffers(work, kase);
        return { caseId: plan.caseId, plan: 'update', notifications: work.drafts.length };
      }
      case 'close': {
        work.changedLeads = true;
        const kase = current!;
        for (const offer of await this.store.offers(m, kase.caseId)) {
          if (offer.status === 'pending')
            await this.store.saveOffer(m, withdrawOffer(offer, work.now, 'the case closed'));
          if (offer.status === 'accepted') await this.store.saveOffer(m, endLead(offer, work.now, 'the case closed'));
        }
        await this.store.close(m, kase.caseId);
        this.event(work, kase.caseId, 'closed', plan.reasons, {});
        this.auditCase(work, 'case.closed', kase);
        // Those leaving hear only that the case closed: nothing more is disclosed to them.
        for (const r of plan.notify) this.tellLeaving(work, kase, r);
        return { caseId: kase.caseId, plan: 'close', notifications: work.drafts.length };
      }
    }
  }

  /** The newest published lead-worker policy, else the configured file. */
  async policy(m: EntityManager): Promise<LeadWorkerPolicy> {
    const [row] = await m.query<{ policy: unknown }[]>(
      `SELECT policy FROM lead_policy_version ORDER BY version DESC LIMIT 1`,
    );
    return row ? parseLeadWorkerPolicy(row.policy) : this.settings.policy;
  }

  /** Publishes a new policy version (checked first, every problem listed); applies to the next change of each case. */
  async publishPolicy(value: unknown, by: string, reason: string): Promise<LeadWorkerPolicy & { version: number }> {
    const problems = validateLeadWorkerPolicy(value);
    if (problems.length > 0)
      throw new BrokerError(
        'VALIDATION_FAILED',
        'The lead-worker policy is invalid',
        problems.map((reason) => ({ field: 'policy', reason })),
      );
    const checked = parseLeadWorkerPolicy(value);
    return withSystemScope(this.dataSource, async (m) => {
      await m.query(`LOCK TABLE lead_policy_version IN EXCLUSIVE MODE`);
      const [row] = await m.query<{ v: number }[]>(
        `SELECT GREATEST(coalesce(max(version), 0), $1::int) + 1 AS v FROM lead_policy_version`,
        [this.settings.policy.version],
      );
      const policy = { ...checked, version: row!.v };
      await m.query(`INSERT INTO lead_policy_version (version, policy, published_by, reason) VALUES ($1, $2, $3, $4)`, [
        policy.version,
        JSON.stringify(policy),
        by,
        reason,
      ]);
      await this.audit.append(m, {
        type: 'coordination.policy-published',
        actor: by.startsWith('person:') ? { kind: 'person', id: by.slice(7) } : { kind: 'person', id: by },
        at: this.now(),
        details: { version: policy.version, reason },
      });
      return policy;
    });
  }

  /**
   * Asks the next candidate, waits, or escalates, as the pure engine says; stores what it decided.
   * `history`: the case's offers, when the caller knows them (a case opened just now has none).
   * `fresh`: the case opened in this change, whose lead, choice and first offer go into its insert.
   */
  private async advanceOffers(work: Work, kase: CurrentCase, history?: Offer[], fresh?: FreshCase): Promise<void> {
    const { m, loaded, now } = work;
    const { holidays } = this.settings;
    const { policy } = work;
    const choice = chooseLead(loaded.snapshot, loaded.workers, policy, [], {
      ...(kase.leadWorkerId ? { caseLeadWorkerId: kase.leadWorkerId } : {}),
    });
    const result = nextOffer(
      { caseId: kase.caseId, candidates: choice.candidates },
      history ?? (await this.store.offers(m, kase.caseId)),
      {
        now,
        newOfferId: randomUUID(),
        bankHolidays: holidays.dates,
        coversUntil: holidays.coversUntil,
        workingDays: policy.offers.workingDays,
        maxFailures: policy.offers.maxFailures,
      },
    );
    for (const expired of result.expired) {
      await this.store.saveOffer(m, expired);
      this.event(work, kase.caseId, 'offer.expired', ['the offer was not answered by its deadline'], {
        offerId: expired.offerId,
      });
    }
    const next = result.next;
    if (next.kind === 'lead') {
      if (kase.leadWorkerId === next.workerId) return;
      work.changedLeads = true;
      if (!fresh) return void (await this.store.setLead(m, kase.caseId, next.workerId));
      // A lead's caseload counts for the families planned after this one: write this case now.
      fresh.leadWorkerId = next.workerId;
      work.fresh.splice(work.fresh.indexOf(fresh), 1);
      await this.store.insertCases(m, [fresh]);
      return;
    }
    if (next.kind === 'wait') return;
    if (fresh) {
      work.freshOffers.push(next.offer);
      fresh.leadChoice = choice;
    } else {
      await this.store.saveOffer(m, next.offer);
      await this.store.setLeadChoice(m, kase.caseId, choice);
    }
    const kind = next.kind === 'escalate' ? 'escalated' : 'offer.made';
    this.event(work, kase.caseId, kind, [next.reason], { offerId: next.offer.offerId, target: next.offer.target.kind });
    const recipients = await this.offerRecipients(m, next.offer);
    const offer = {
      offerId: next.offer.offerId,
      deadline: next.offer.deadline,
      explanation: next.offer.explanation,
      target: next.offer.target.kind,
    };
    for (const personId of recipients.length > 0 ? recipients : [null])
      work.drafts.push(this.draft(work, kase, { agency: next.offer.target.agency, personId }, 'offer.made', { offer }));
    work.deadlines.push(next.offer);
  }

  private async endLeadOf(work: Work, kase: CurrentCase, reason: string): Promise<void> {
    work.changedLeads = true;
    for (const offer of await this.store.offers(work.m, kase.caseId))
      if (offer.status === 'accepted') {
        await this.store.saveOffer(work.m, endLead(offer, work.now, reason));
        this.event(work, kase.caseId, 'lead.ended', [reason], { offerId: offer.offerId });
      }
    await this.store.setLead(work.m, kase.caseId, null);
  }

  /** The people an offer goes to: the worker, the duty team, or the team's managers. */
  private async offerRecipients(m: EntityManager, offer: Offer): Promise<string[]> {
    const t = offer.target;
    if (t.kind === 'worker') return [t.workerId];
    const role = t.kind === 'team-manager' ? 'team-manager' : null;
    const rows = await m.query<{ id: string }[]>(
      `SELECT id FROM person WHERE agency_id = $1 AND active AND ($2::text IS NULL OR $2 = ANY(roles))
         AND ($2::text IS NOT NULL OR team = $3) ORDER BY id`,
      [t.agency, role, t.team],
    );
    return rows.map((r) => r.id);
  }

  /** The worker offered; for a duty team, its members and the managers; for an escalation, the managers. */
  private async mayAnswer(m: EntityManager, offer: Offer, actor: OfferActor): Promise<boolean> {
    const t = offer.target;
    if (t.agency !== actor.agency) return false;
    if (t.kind === 'worker') return t.workerId === actor.personId;
    if (actor.roles.includes('team-manager')) return true;
    if (t.kind === 'team-manager') return false;
    const [row] = await m.query<{ team: string | null }[]>(`SELECT team FROM person WHERE id = $1`, [actor.personId]);
    return (row?.team ?? this.settings.policy.dutyTeam) === t.team;
  }

  private async requireColleague(m: EntityManager, personId: string, agency: string): Promise<void> {
    const [row] = await m.query<{ id: string }[]>(`SELECT id FROM person WHERE id = $1 AND agency_id = $2 AND active`, [
      personId,
      agency,
    ]);
    if (!row)
      throw new BrokerError('VALIDATION_FAILED', 'The lead must be an active worker of the agency offered the case', {
        field: 'workerId',
      });
  }

  private members(work: Work, kase: CurrentCase): Recipient[] {
    return kase.agencies.map((agency) => ({
      agency,
      workerIds: kase.workerIds.filter((id) => work.loaded.roster.get(id)?.agency === agency),
      as: 'member' as const,
    }));
  }

  private facts(work: Work, kase: CurrentCase): CaseFacts {
    const lead = kase.leadWorkerId ? work.loaded.roster.get(kase.leadWorkerId) : undefined;
    return {
      caseId: kase.caseId,
      agencies: kase.agencies,
      lead: kase.leadWorkerId
        ? { workerId: kase.leadWorkerId, agency: lead?.agency ?? '', name: lead?.name ?? kase.leadWorkerId }
        : null,
    };
  }

  private nameOf(work: Work, personId: string): string {
    return work.loaded.roster.get(personId)?.name ?? personId;
  }

  private draft(
    work: Work,
    kase: CurrentCase,
    to: { agency: string; personId: string | null },
    type: string,
    extra: Record<string, unknown>,
  ) {
    return draftFor(to, type, this.facts(work, kase), work.governance, work.loaded.subjects, extra, work.now);
  }

  private tell(
    work: Work,
    kase: CurrentCase,
    recipients: readonly Recipient[],
    type: string,
    extra: Record<string, unknown>,
  ) {
    for (const r of recipients)
      for (const personId of r.workerIds.length > 0 ? r.workerIds : [null])
        work.drafts.push(this.draft(work, kase, { agency: r.agency, personId }, type, extra));
  }

  private tellLeaving(work: Work, kase: CurrentCase, r: Recipient) {
    for (const personId of r.workerIds.length > 0 ? r.workerIds : [null])
      work.drafts.push({
        agency: r.agency,
        personId,
        caseId: kase.caseId,
        type: 'case.closed',
        payload: {
          caseId: kase.caseId,
          event: 'case.closed',
          at: work.now.toISOString(),
          recipient: { agency: r.agency, workerId: personId },
        },
        disclosures: [],
      });
  }

  private auditCase(work: Work, type: string, kase: CurrentCase): void {
    work.audits.push({
      type,
      actor: SYSTEM,
      at: work.now,
      purpose: CASE_PURPOSE,
      subjects: kase.memberIds,
      decision: 'allow',
      agreement: work.governance.agreements[0] ?? null,
      details: { caseId: kase.caseId, agencies: kase.agencies, agreements: work.governance.agreements },
    });
  }

  /**
   * Notifications and offer timers go to the outbox in the same transaction as the change, and its audit
   * events last (a group appends all of its families' events at once, after the last family).
   */
  /** A case history entry, written with the change's other rows when it finishes. */
  private event(work: Work, caseId: string, kind: string, reasons: string[], details: Record<string, unknown>): void {
    work.events.push({ caseId, kind, reasons, details, actor: work.actor });
  }

  private async finish(work: Work, correlationId: string, appendAudit = true): Promise<void> {
    await this.store.insertCases(work.m, work.fresh);
    await this.store.insertOffers(work.m, work.freshOffers);
    await this.store.events(work.m, work.events);
    await writeNotifications(work.m, work.drafts, correlationId);
    for (const offer of work.deadlines)
      await work.m.query(`INSERT INTO outbox_event (topic, agency_id, payload) VALUES ('offer.deadline', $1, $2)`, [
        offer.target.agency,
        JSON.stringify({ offerId: offer.offerId, correlationId, notBefore: offer.deadline }),
      ]);
    if (appendAudit) await this.audit.appendMany(work.m, work.audits);
  }
}
